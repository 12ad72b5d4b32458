import { inDataDir, MANIFEST_DIRS, MANIFEST_NAMES } from '../collect/host-paths.js';
import type { FileFact, HostSnapshot, ProcessInfo } from '../model.js';
import type { ComponentCommand, ComponentName } from './command.js';
import { baseName, findComponent } from './command.js';
import type { ComponentInstance, HostComponents, ResolvedConfig } from './host-components.js';
import type { ManifestCommand } from './manifest.js';
import { readManifest } from './manifest.js';
import { couldList, factSays, wasListed } from './file-facts.js';
import { rancherServers } from './k3s.js';
import { fromConfigFile, refuseShadowed, resolveManifest, resolveProcess, resolveUnit } from './resolve.js';

// Finds etcd and kube-apiserver on a host: the processes the probe trusted, the static pod
// manifests (the kubelet's, and RKE2's in its data directory), the etcd embedded in k3s. Each
// running instance is paired with what its next restart would run (its static pod manifest or
// systemd unit), so that drift between the two can be reported.

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

  const rancher = rancherServers(audited, snapshot);
  // RKE2 keeps its static pods in its data directory, wherever that is.
  const manifestDirs = [
    ...new Set([...MANIFEST_DIRS, ...rancher.flatMap((s) => (s.program === 'rke2' && 'path' in s.dataDir ? [inDataDir(s.dataDir.path, 'podManifests')] : []))]),
  ];
  const manifests = manifestCommands(snapshot.files, manifestDirs);
  const result: HostComponents = { etcd: [], apiserver: [], rancher, blindSpots: blindSpots(snapshot, manifestDirs) };

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
        const onDisk = resolveUnit(process.unit, component, snapshot);
        if (onDisk) instance.onDisk = onDisk;
      }
      if (instance.onDisk) refuseShadowed(instance.onDisk, running);
      instances.push(instance);
    }
    assumeUnreadableManifest(instances, component, snapshot.files, manifestDirs);
    for (const manifest of unpaired) {
      const onDisk = resolveManifest(manifest, snapshot.files);
      refuseShadowed(onDisk, undefined);
      instances.push({
        component,
        onDisk,
        manifest: manifest.path,
        mounts: manifest.mounts,
      });
    }
    for (const instance of instances) {
      if (!instance.manifest) instance.manifestAbsence = manifestAbsence(instance, audited, result.blindSpots, manifestDirs);
    }
    if (component === 'etcd') result.etcd = instances;
    else result.apiserver = instances;
  }

  // The etcd embedded in k3s has no process of its own: k3s writes its config file and runs it in-process.
  const k3s = rancher.find((server) => server.program === 'k3s' && server.datastore.kind === 'etcd');
  if (k3s && 'path' in k3s.dataDir && result.etcd.length === 0) {
    const path = inDataDir(k3s.dataDir.path, 'etcdConfig');
    const resolved: ResolvedConfig = {
      component: 'etcd',
      label: `etcd embedded in k3s (pid ${k3s.pid}, data dir ${k3s.dataDir.path} from ${k3s.dataDir.evidence.map((e) => e.source).join(', ')})`,
      settings: new Map(),
      searched: () => [],
    };
    result.etcd.push({
      component: 'etcd',
      running: fromConfigFile(resolved, path, snapshot.files, { settings: new Map(), unknownKeys: new Map() }),
      pid: k3s.pid,
      mounts: [],
      embeddedIn: 'k3s',
      manifestAbsence: { known: true, reason: 'etcd is embedded in k3s' },
    });
  }
  return result;
}

function manifestCommands(files: Record<string, FileFact>, dirs: string[]): ManifestCommand[] {
  const commands: ManifestCommand[] = [];
  for (const file of Object.values(files)) {
    if (!inManifestDir(file.path, dirs) || file.content === undefined) continue;
    // kubelet reads every file of the directory except hidden ones.
    if (baseName(file.path).startsWith('.')) continue;
    const read = readManifest(file.path, file.content);
    if (read.ok) commands.push(...read.found);
  }
  return commands.sort((a, b) => a.path.localeCompare(b.path));
}

/** The manifest that defines a running process: the only one, or the one naming the same member. */
function takeMatchingManifest(running: ResolvedConfig, candidates: ManifestCommand[], files: Record<string, FileFact>): ManifestCommand | undefined {
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
function assumeUnreadableManifest(instances: ComponentInstance[], component: ComponentName, files: Record<string, FileFact>, dirs: string[]): void {
  const orphans = instances.filter((i) => i.running && !i.manifest && !i.onDisk);
  const name = component === 'etcd' ? 'etcd' : 'apiserver';
  const unread = unreadManifests(files, dirs).filter((f) => baseName(f.path).includes(name));
  if (orphans.length === 1 && unread.length === 1) {
    orphans[0]!.manifest = unread[0]!.path;
    orphans[0]!.manifestUnread = unread[0]!.unreadable ?? 'not read';
  }
}

/**
 * Why a running instance has no static pod manifest, on what the probe saw: its systemd unit, or
 * nothing that says pod. A process in a pod's cgroup whose manifest was not found, or a manifest
 * directory the probe could not look into, leaves it unknown.
 */
function manifestAbsence(instance: ComponentInstance, processes: ProcessInfo[], blindSpots: string[], dirs: string[]): { known: boolean; reason: string } {
  const name = instance.component;
  if (instance.unit) return { known: true, reason: `${name} runs from the systemd unit ${instance.unit}` };
  const process = processes.find((p) => p.pid === instance.pid);
  if (process?.container)
    return {
      known: false,
      reason: `${name} (pid ${instance.pid}) runs in a container, but no static pod manifest running it was found in ${dirs.join(', ')}${blindSpots.length > 0 ? ` (${blindSpots.join('; ')})` : ''}; its kubelet may keep static pods elsewhere (staticPodPath, --pod-manifest-path)`,
    };
  if (blindSpots.length > 0)
    return { known: false, reason: `no static pod manifest running ${name} was found, but fleetbench could not look everywhere: ${blindSpots.join('; ')}` };
  return { known: true, reason: `${name} is not run from a static pod manifest here (pid ${instance.pid} runs in no container and no systemd unit)` };
}

/**
 * Places a component could be that the probe could not look into: a manifest directory it could
 * not list or see, a manifest it could not read, a process list that shows only the login user's
 * own processes (/proc mounted with hidepid).
 */
function blindSpots(snapshot: HostSnapshot, dirs: string[]): string[] {
  const spots: string[] = [];
  for (const dir of dirs) {
    const fact = snapshot.files[dir];
    const says = factSays(fact);
    if (says === 'directory') {
      const listing = wasListed(snapshot, dir, MANIFEST_NAMES) ? couldList(fact!, snapshot) : `${dir} was not listed`;
      if (listing !== true) spots.push(listing);
    } else if (says !== 'absent') spots.push(`${dir} ${says === 'not examined' ? 'was not examined' : says}`);
  }
  for (const file of unreadManifests(snapshot.files, dirs)) spots.push(`${file.path}: ${file.unreadable ?? 'not read'}`);
  if (snapshot.privilege === 'unprivileged' && snapshot.processes.length > 0 && !snapshot.processes.some((p) => p.pid === 1))
    spots.push(
      "the process list shows only the login user's own processes (/proc is mounted with hidepid): scan with --become, or set become in the inventory",
    );
  return spots;
}

function inManifestDir(path: string, dirs: string[]): boolean {
  return dirs.includes(path.slice(0, path.lastIndexOf('/')));
}

/** Files of a static-pod directory that exist but whose content the probe could not read. */
function unreadManifests(files: Record<string, FileFact>, dirs: string[]): FileFact[] {
  return Object.values(files).filter((f) => inManifestDir(f.path, dirs) && f.exists && f.content === undefined);
}
