import { posix } from 'node:path';
import type { Evidence } from '../model.js';
import type { ComponentName } from './command.js';
import type { RancherServer } from './k3s.js';
import type { Lookup, Setting } from './settings.js';

// What the configuration model hands the rules: each etcd and kube-apiserver instance of a host,
// what it runs with now and what its next restart would run, every value with where it came from.
// The middle type of the pipeline: snapshot in (discover.ts), findings out (src/rules/).

/** The effective configuration of one component instance, from one point of view (running or on disk). */
export interface ResolvedConfig {
  component: ComponentName;
  /** e.g. `etcd process 1795`, `etcd manifest /etc/kubernetes/manifests/etcd.yaml`. */
  label: string;
  settings: Map<string, Setting>;
  /** Places an absent setting was looked for, as evidence of its absence. */
  searched(key: string): Evidence[];
  /** When set, a setting absent from `settings` may be set where fleetbench could not look. */
  unknown?: string;
  /** The config file etcd reads instead of flags, when it has one. */
  configFile?: string;
  /** Settings that cannot be told although the rest is known, and why (a listener set through an undocumented key). */
  unknownKeys?: Map<string, string>;
  /** Why the component would refuse to start with this configuration as a whole, when it would. */
  refused?: string;
  /** ETCD_* variables given beside the flag they stand for (etcd 3.4 and later refuse that), with the reason. */
  shadowed?: Map<string, string>;
  /** Why what was read of a running process cannot be what it started with (a command line it refuses), when so. */
  contradiction?: string;
  /** What the component does with a setting beyond its value, by setting, for the reason of a finding. */
  notes?: Map<string, string[]>;
}

export interface ComponentInstance {
  component: ComponentName;
  /** The running process' configuration; absent when only a manifest was found. */
  running?: ResolvedConfig;
  /** What a restart would run: the static pod manifest or systemd unit. */
  onDisk?: ResolvedConfig;
  pid?: number;
  /** Manifest file this instance is defined by, when it is a static pod. */
  manifest?: string;
  /** Why the manifest's content could not be read, when the manifest is known only by its name. */
  manifestUnread?: string;
  /** The process' working directory (etcd's default data dir is relative to it). */
  cwd?: string;
  /** Container path → host path of a static pod's hostPath mounts. */
  mounts: { containerPath: string; hostPath: string }[];
  /** The systemd unit the process runs in (from its cgroup), whether or not its file could be read. */
  unit?: string;
  /** The program it is part of, when it is not a process of its own. */
  embeddedIn?: 'k3s';
  /** Why it has no static pod manifest, or why that cannot be told, when none was found for it. */
  manifestAbsence?: { known: boolean; reason: string };
}

export interface HostComponents {
  etcd: ComponentInstance[];
  apiserver: ComponentInstance[];
  /** The k3s and RKE2 servers running here: their data directory and datastore, on what evidence. */
  rancher: RancherServer[];
  /** Places a component could hide that the probe could not look into. */
  blindSpots: string[];
}

export function lookup(config: ResolvedConfig, key: string): Lookup {
  const setting = config.settings.get(key);
  if (setting) return { state: 'set', setting };
  const unknownKey = config.unknownKeys?.get(key);
  if (unknownKey !== undefined) return { state: 'unknown', reason: unknownKey, searched: config.searched(key) };
  if (config.unknown) return { state: 'unknown', reason: config.unknown, searched: config.searched(key) };
  return { state: 'unset', searched: config.searched(key) };
}

/** Adds what the component does with a setting beyond its value, for the finding's reason. */
export function addNote(config: ResolvedConfig, key: string, note: string): void {
  config.notes ??= new Map();
  config.notes.set(key, [...(config.notes.get(key) ?? []), note]);
}

/** etcd's --name, or the name etcd gives itself when none is set. */
export function memberName(config: ResolvedConfig): string {
  const name = lookup(config, 'name');
  return name.state === 'set' ? name.setting.value : 'default';
}

/** filepath.Clean, as the kubelet applies it to mount paths: no `//`, `.`, `..` or trailing slash. */
function cleanPath(path: string): string {
  const clean = posix.normalize(path);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}

/**
 * Where a path a static pod's container sees lives on the host: through the hostPath mount whose
 * mountPath is the path or its longest parent (the kubelet mounts nested volumes over their parents).
 */
export function hostPath(path: string, instance: Pick<ComponentInstance, 'mounts'>): string {
  const clean = cleanPath(path);
  const inside = (mount: string) => clean === mount || clean.startsWith(mount === '/' ? '/' : `${mount}/`);
  const mount = instance.mounts
    .map((m) => ({ containerPath: cleanPath(m.containerPath), hostPath: cleanPath(m.hostPath) }))
    .filter((m) => inside(m.containerPath))
    .sort((a, b) => b.containerPath.length - a.containerPath.length)[0];
  if (!mount) return clean;
  const rest = clean.slice(mount.containerPath === '/' ? 0 : mount.containerPath.length);
  return cleanPath(`${mount.hostPath}/${rest}`);
}

/** etcd's data directory under one configuration: where it is on the host, or why that cannot be told. */
export type DataDirectory = { path: string; evidence: Evidence[] } | { unknown: string; evidence: Evidence[]; values: string };

/**
 * etcd's data directory: --data-dir, else etcd's default NAME.etcd; a relative one is in the
 * working directory of the running process (a restart starts in the same one), through the
 * hostPath mount that holds it.
 */
export function dataDirectory(config: ResolvedConfig, instance: Pick<ComponentInstance, 'cwd' | 'running' | 'mounts' | 'manifest'>): DataDirectory {
  const dir = lookup(config, 'data-dir');
  if (dir.state === 'unknown') return { unknown: `cannot tell etcd's data directory: ${dir.reason}`, evidence: dir.searched, values: 'data-dir=?' };
  let path: string;
  let evidence: Evidence[];
  if (dir.state === 'set') {
    path = dir.setting.value;
    evidence = [dir.setting.evidence];
  } else {
    path = `${memberName(config)}.etcd`;
    evidence = [...dir.searched, { source: "etcd's default", key: 'data-dir', value: `${path} in its working directory` }];
  }
  if (!path.startsWith('/')) {
    if (instance.cwd === undefined || !instance.running) {
      return { unknown: `etcd's data directory ${path} is relative to its working directory, which could not be read`, evidence, values: `data-dir=${path}` };
    }
    path = `${instance.cwd.replace(/\/$/, '')}/${path}`;
  }
  const onHost = hostPath(path, instance);
  if (onHost !== path) evidence.push({ source: `hostPath volume of ${instance.manifest}`, key: path, value: onHost });
  return { path: onHost, evidence };
}
