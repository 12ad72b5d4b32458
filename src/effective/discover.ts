import { inDataDir, K3S_DATA_DIR, MANIFEST_DIRS } from '../collect/host-paths.js';
import type { FileFact, HostSnapshot, ProcessInfo } from '../model.js';
import type { ComponentCommand, ComponentName } from './command.js';
import { baseName, findComponent } from './command.js';
import type { ComponentInstance, HostComponents, ResolvedConfig } from './host-components.js';
import type { ManifestCommand } from './manifest.js';
import { readManifest } from './manifest.js';
import { fromConfigFile, resolveManifest, resolveProcess, resolveUnit } from './resolve.js';

// Finds etcd and kube-apiserver on a host: the processes the probe trusted, the static pod
// manifests, the etcd embedded in k3s. Each running instance is paired with what its next restart
// would run (its static pod manifest or systemd unit), so that drift between the two can be reported.

const K3S_ETCD_CONFIG = inDataDir(K3S_DATA_DIR, 'etcdConfig');
const K3S_SQLITE = inDataDir(K3S_DATA_DIR, 'sqlite');

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
  return (MANIFEST_DIRS as readonly string[]).includes(path.slice(0, path.lastIndexOf('/')));
}

/** Files of a static-pod directory that exist but whose content the probe could not read. */
function unreadManifests(files: Record<string, FileFact>): FileFact[] {
  return Object.values(files).filter((f) => inManifestDir(f.path) && f.exists && f.content === undefined);
}
