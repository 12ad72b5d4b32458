import type { Evidence, FileFact, HostSnapshot, ProcessInfo } from '../model.js';
import type { ComponentCommand, ComponentName } from './command.js';
import { baseName, findComponent } from './command.js';
import { readEtcdConfigFile } from './config-file.js';
import type { ParsedFlags } from './flags.js';
import { APISERVER_BOOLEAN_FLAGS, ETCD_BOOLEAN_FLAGS, parseFlags } from './flags.js';
import type { ManifestCommand } from './manifest.js';
import { readManifest } from './manifest.js';
import type { Lookup, Setting } from './settings.js';
import type { EnvValue } from './systemd.js';
import { readUnit } from './systemd.js';

// Finds etcd and kube-apiserver on a host and resolves the configuration each one really runs
// with, the way the component itself reads it: command-line flags (last wins), then for etcd the
// ETCD_* environment for flags not given, unless --config-file is given, in which case etcd reads
// only that file. Each running instance is paired with what its next restart would run (its static
// pod manifest or systemd unit), so that drift between the two can be reported.

export const MANIFEST_DIRS = ['/etc/kubernetes/manifests', '/var/lib/rancher/rke2/agent/pod-manifests'];
const K3S_ETCD_CONFIG = '/var/lib/rancher/k3s/server/db/etcd/config';
const K3S_SQLITE = '/var/lib/rancher/k3s/server/db/state.db';
/** The --client-ca-file k3s gives the kube-apiserver it embeds. */
export const K3S_CLIENT_CA = '/var/lib/rancher/k3s/server/tls/client-ca.crt';

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
}

export interface HostComponents {
  etcd: ComponentInstance[];
  apiserver: ComponentInstance[];
  /** Set when k3s runs here: whether its datastore is embedded etcd. */
  k3s?: { pid: number; datastore: 'etcd' | 'kine' };
  /** Places a component could hide that the probe could not look into. */
  blindSpots: string[];
}

export function lookup(config: ResolvedConfig, key: string): Lookup {
  const setting = config.settings.get(key);
  if (setting) return { state: 'set', setting };
  if (config.unknown) return { state: 'unknown', reason: config.unknown, searched: config.searched(key) };
  return { state: 'unset', searched: config.searched(key) };
}

/** Where a path a static pod's container sees lives on the host (through its hostPath mounts). */
/** etcd's --name, or the name etcd gives itself when none is set. */
export function memberName(config: ResolvedConfig): string {
  const name = lookup(config, 'name');
  return name.state === 'set' ? name.setting.value : 'default';
}

export function hostPath(path: string, instance: Pick<ComponentInstance, 'mounts'>): string {
  const mount = instance.mounts
    .filter((m) => path === m.containerPath || path.startsWith(`${m.containerPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.containerPath.length - a.containerPath.length)[0];
  return mount ? mount.hostPath.replace(/\/$/, '') + path.slice(mount.containerPath.replace(/\/$/, '').length) : path;
}

export function envName(key: string): string {
  return `ETCD_${key.toUpperCase().replaceAll('-', '_')}`;
}

function keyOfEnv(name: string): string | undefined {
  return name.startsWith('ETCD_') ? name.slice(5).toLowerCase().replaceAll('_', '-') : undefined;
}

const BOOLEANS: Record<ComponentName, ReadonlySet<string>> = {
  etcd: ETCD_BOOLEAN_FLAGS,
  'kube-apiserver': APISERVER_BOOLEAN_FLAGS,
};

type EnvSource =
  | { known: true; label: string; vars: Map<string, EnvValue> }
  | { known: false; label: string; reason: string };

interface Resolvable {
  component: ComponentName;
  label: string;
  command: ComponentCommand;
  describeWord(index: number): string;
  argvLabel: string;
  env: EnvSource;
  files: Record<string, FileFact>;
}

function resolve(input: Resolvable): ResolvedConfig {
  const { component, command } = input;
  const flags = parseFlags(command.argv, {
    describe: input.describeWord,
    component,
    booleans: BOOLEANS[component],
  });
  const config: ResolvedConfig = {
    component,
    label: input.label,
    settings: flags.settings,
    searched: (key) => [{ source: input.argvLabel, key: `--${key}`, value: null }],
  };
  const unknownReasons = unknownFromCommand(command, flags);
  if (component === 'kube-apiserver') {
    if (unknownReasons.length > 0) config.unknown = unknownReasons.join('; ');
    return config;
  }

  // Variables set by a wrapper (`env X=1 etcd`, `X=1 etcd` in a shell string) are part of the command.
  const wrapperEnv = new Map(Object.entries(command.env).map(([name, value]) => [name, { value, source: input.argvLabel }]));
  const env = input.env.known ? new Map([...input.env.vars, ...wrapperEnv]) : wrapperEnv;

  const configFile = flags.settings.get('config-file')?.value ?? env.get('ETCD_CONFIG_FILE')?.value;
  if (configFile) return fromConfigFile(config, configFile, input.files, flags);

  for (const [name, entry] of env) {
    const key = keyOfEnv(name);
    if (!key) continue;
    const evidence: Evidence = { source: entry.source === input.argvLabel ? input.argvLabel : entry.source, key: name, value: entry.value };
    const flag = flags.settings.get(key);
    if (flag) {
      flag.overridden.push(evidence);
      continue;
    }
    flags.settings.set(key, { key, value: entry.value, evidence, overridden: [] });
  }
  config.searched = (key) => [
    { source: input.argvLabel, key: `--${key}`, value: null },
    { source: input.env.label, key: envName(key), value: null },
  ];
  if (!input.env.known) unknownReasons.push(input.env.reason);
  if (unknownReasons.length > 0) config.unknown = unknownReasons.join('; ');
  return config;
}

function unknownFromCommand(command: ComponentCommand, flags: ParsedFlags): string[] {
  const reasons: string[] = [];
  if (command.unexpanded.length > 0) {
    reasons.push(`the command passes ${command.unexpanded.join(' ')} unexpanded, which may set further flags`);
  }
  if (command.component === 'etcd' && flags.strays.length > 0) {
    reasons.push(`etcd stops reading flags at the stray word "${flags.strays[0]}"`);
  }
  return reasons;
}

function fromConfigFile(config: ResolvedConfig, path: string, files: Record<string, FileFact>, flags: ParsedFlags): ResolvedConfig {
  const file = files[path];
  const origin = flags.settings.get('config-file')?.evidence.source ?? 'ETCD_CONFIG_FILE';
  config.configFile = path;
  config.searched = (key) => [{ source: path, key, value: null }];
  if (!file || file.content === undefined) {
    const why = !file ? 'was not collected' : !file.exists ? (file.unreadable ? `cannot be seen (${file.unreadable})` : 'does not exist') : (file.unreadable ?? 'could not be read');
    config.settings = new Map();
    config.unknown = `etcd reads its configuration from ${path} (named in ${origin}), which ${why}`;
    return config;
  }
  const read = readEtcdConfigFile(path, file.content, ETCD_BOOLEAN_FLAGS);
  if (!read.ok) {
    config.settings = new Map();
    config.unknown = `etcd's config file ${path} could not be read: ${read.error}`;
    return config;
  }
  config.settings = read.settings;
  config.label = `${config.label} (config file ${path})`;
  return config;
}

// ---------------------------------------------------------------------------------------------

export function discoverComponents(snapshot: HostSnapshot): HostComponents {
  // Only processes the probe looked into: anyone can start a program named etcd (the others are
  // in the snapshot's problems, with their uid).
  const audited = snapshot.processes.filter((process) => process.trusted === true);
  const found = audited
    .map((process) => ({ process, command: findComponent(process.argv) }))
    .filter((p): p is { process: ProcessInfo; command: ComponentCommand } => p.command !== undefined);
  // A shell that runs etcd as a child is the same instance as the child: keep the child.
  const direct = found.filter(
    (p) => p.command.wrappers.length === 0 || !found.some((c) => c.process.ppid === p.process.pid && c.command.component === p.command.component),
  );

  const manifests = manifestCommands(snapshot.files);
  const result: HostComponents = { etcd: [], apiserver: [], blindSpots: blindSpots(snapshot) };

  for (const component of ['etcd', 'kube-apiserver'] as const) {
    const instances: ComponentInstance[] = [];
    const unpaired = manifests.filter((m) => m.command.component === component);
    for (const { process, command } of direct.filter((p) => p.command.component === component)) {
      const running = resolveProcess(process, command, snapshot);
      const manifest = takeMatchingManifest(running, unpaired, snapshot.files);
      const instance: ComponentInstance = { component, running, pid: process.pid, mounts: [] };
      if (process.cwd !== undefined) instance.cwd = process.cwd;
      if (manifest) {
        instance.onDisk = resolveManifest(manifest, snapshot.files);
        instance.manifest = manifest.path;
        instance.mounts = manifest.mounts;
      } else if (process.unit) {
        instance.unit = process.unit;
        const onDisk = resolveUnit(process.unit, component, snapshot.files);
        if (onDisk) instance.onDisk = onDisk;
      }
      instances.push(instance);
    }
    assumeUnreadableManifest(instances, component, snapshot.files);
    for (const manifest of unpaired) {
      instances.push({
        component,
        onDisk: resolveManifest(manifest, snapshot.files),
        manifest: manifest.path,
        mounts: manifest.mounts,
      });
    }
    if (component === 'etcd') result.etcd = instances;
    else result.apiserver = instances;
  }

  const k3s = audited.find((p) => baseName(p.argv[0] ?? '') === 'k3s' && p.argv.includes('server'));
  if (k3s && result.etcd.length === 0) {
    const config = snapshot.files[K3S_ETCD_CONFIG];
    if (config?.exists) {
      result.k3s = { pid: k3s.pid, datastore: 'etcd' };
      const resolved: ResolvedConfig = {
        component: 'etcd',
        label: `etcd embedded in k3s (pid ${k3s.pid})`,
        settings: new Map(),
        searched: () => [],
      };
      result.etcd.push({
        component: 'etcd',
        running: fromConfigFile(resolved, K3S_ETCD_CONFIG, snapshot.files, { settings: new Map(), strays: [] }),
        pid: k3s.pid,
        mounts: [],
        embeddedIn: 'k3s',
      });
    } else if (snapshot.files[K3S_SQLITE]?.exists || config?.exists === false) {
      result.k3s = { pid: k3s.pid, datastore: 'kine' };
    }
  }
  return result;
}

function resolveProcess(process: ProcessInfo, command: ComponentCommand, snapshot: HostSnapshot): ResolvedConfig {
  const where = process.argvSource === 'ps' ? `process ${process.pid} (ps -ef line, split at spaces)` : `process ${process.pid} command line`;
  const argvLabel = command.fromShell ? `${where}, inside its "${command.wrappers.at(-1)}" string` : where;
  return resolve({
    component: command.component,
    label: `${command.component} process ${process.pid}`,
    command,
    describeWord: () => argvLabel,
    argvLabel,
    env: processEnv(process, snapshot),
    files: snapshot.files,
  });
}

function processEnv(process: ProcessInfo, snapshot: HostSnapshot): EnvSource {
  const label = `environment of pid ${process.pid}`;
  const environ = snapshot.environ[process.pid];
  if (environ) {
    return { known: true, label, vars: new Map(Object.entries(environ).map(([name, value]) => [name, { value, source: label }])) };
  }
  const unit = process.unit ? readUnit(process.unit, snapshot.files) : undefined;
  if (unit && unit.missingEnv.length === 0) {
    // The environment systemd gives the process is exactly what its unit says.
    return { known: true, label: `${unit.sources.join(', ')} (the environment of pid ${process.pid} was not readable)`, vars: unit.env };
  }
  const needs = snapshot.privilege === 'unprivileged' ? ' (reading it needs root: scan with --become, or set become in the inventory)' : '';
  const missing = unit ? `; ${unit.path} names environment files that could not be read: ${unit.missingEnv.join(', ')}` : '';
  return { known: false, label, reason: `the ETCD_* environment of pid ${process.pid} could not be read${needs}${missing}` };
}

function resolveUnit(unitName: string, component: ComponentName, files: Record<string, FileFact>): ResolvedConfig | undefined {
  const unit = readUnit(unitName, files);
  if (!unit?.execStart) return undefined;
  const argv = expandWords(unit.execStart.argv, unit.env);
  const command = findComponent(argv, Object.fromEntries([...unit.env].map(([name, entry]) => [name, entry.value])));
  if (!command || command.component !== component) return undefined;
  const envLabel = unit.sources.join(', ');
  return resolve({
    component,
    label: `${component} unit ${unit.path}`,
    command,
    describeWord: () => unit.execStart!.source,
    argvLabel: unit.execStart.source,
    env:
      unit.missingEnv.length === 0
        ? { known: true, label: envLabel, vars: unit.env }
        : { known: false, label: envLabel, reason: `environment files named by ${unit.path} could not be read: ${unit.missingEnv.join(', ')}` },
    files,
  });
}

/** systemd expands `$NAME` words of ExecStart into several words from the unit's environment. */
function expandWords(argv: string[], env: Map<string, EnvValue>): string[] {
  return argv.flatMap((word) => {
    const match = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(word);
    const name = match?.[1] ?? match?.[2];
    if (!name) return [word];
    const value = env.get(name);
    return value === undefined ? [word] : value.value.split(/\s+/).filter(Boolean);
  });
}

function manifestCommands(files: Record<string, FileFact>): ManifestCommand[] {
  const commands: ManifestCommand[] = [];
  for (const file of Object.values(files)) {
    if (!inManifestDir(file.path) || file.content === undefined) continue;
    // kubelet reads every file of the directory except hidden ones.
    if (baseName(file.path).startsWith('.')) continue;
    const read = readManifest(file.path, file.content);
    if (read.ok) commands.push(...read.found);
  }
  return commands.sort((a, b) => a.path.localeCompare(b.path));
}

function resolveManifest(manifest: ManifestCommand, files: Record<string, FileFact>): ResolvedConfig {
  const { command, path, lines } = manifest;
  const envLabel = `${path} (container env)`;
  return resolve({
    component: command.component,
    label: `${command.component} manifest ${path}`,
    command,
    describeWord: (i) => (lines[i] ? `${path} line ${lines[i]}` : path),
    argvLabel: path,
    // The container's environment is what its spec sets; the manifest is the whole story.
    env: { known: true, label: envLabel, vars: new Map(Object.entries(command.env).map(([n, v]) => [n, { value: v, source: envLabel }])) },
    files,
  });
}

/** The manifest that defines a running process: the only one, or the one naming the same member. */
function takeMatchingManifest(
  running: ResolvedConfig,
  candidates: ManifestCommand[],
  files: Record<string, FileFact>,
): ManifestCommand | undefined {
  if (candidates.length === 0) return undefined;
  let index = 0;
  if (candidates.length > 1) {
    const identity = (c: ResolvedConfig) =>
      ['name', 'data-dir', 'listen-client-urls', 'secure-port', 'advertise-address'].map((k) => c.settings.get(k)?.value ?? '').join('|');
    const mine = identity(running);
    index = candidates.findIndex((m) => identity(resolveManifest(m, files)) === mine);
    if (index < 0) return undefined;
  }
  return candidates.splice(index, 1)[0];
}

/**
 * A manifest only root can read cannot be parsed, but its name and metadata are still visible.
 * When one running static-pod process and one unreadable manifest named after the component
 * remain unpaired, the file is taken as that process's manifest, so that the file controls are
 * judged on it (its mode and owner were read) and the reason says its content was not.
 */
function assumeUnreadableManifest(instances: ComponentInstance[], component: ComponentName, files: Record<string, FileFact>): void {
  const orphans = instances.filter((i) => i.running && !i.manifest && !i.onDisk);
  const name = component === 'etcd' ? 'etcd' : 'apiserver';
  const unread = unreadManifests(files).filter((f) => baseName(f.path).includes(name));
  if (orphans.length === 1 && unread.length === 1) {
    orphans[0]!.manifest = unread[0]!.path;
    orphans[0]!.manifestUnread = unread[0]!.unreadable ?? 'not read';
  }
}

function blindSpots(snapshot: HostSnapshot): string[] {
  const spots: string[] = [];
  for (const dir of MANIFEST_DIRS) {
    const fact = snapshot.files[dir];
    if (fact?.unreadable) spots.push(`${dir}: ${fact.unreadable}`);
  }
  for (const file of unreadManifests(snapshot.files)) spots.push(`${file.path}: ${file.unreadable ?? 'not read'}`);
  return spots;
}

function inManifestDir(path: string): boolean {
  return MANIFEST_DIRS.includes(path.slice(0, path.lastIndexOf('/')));
}

/** Files of a static-pod directory that exist but whose content the probe could not read. */
function unreadManifests(files: Record<string, FileFact>): FileFact[] {
  return Object.values(files).filter((f) => inManifestDir(f.path) && f.exists && f.content === undefined);
}
