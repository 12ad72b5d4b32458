import { isMap, isScalar, isSeq } from 'yaml';
import type { Scalar } from 'yaml';
import type { ComponentCommand } from './command.js';
import { findComponent } from './command.js';
import { expandKubelet } from './kubelet-expansion.js';
import type { EnvValue } from './systemd.js';
import { parseYamlSource, scalarString } from './yaml-source.js';

// Reads a static pod manifest: the container that runs a component, its command with the line of
// every word (after the kubelet's $(VAR) expansion), the ETCD_* variables its spec sets, and its
// hostPath volume mounts.

export interface ManifestCommand {
  path: string;
  command: ComponentCommand;
  /** Line of each word of command.argv in the manifest (wrapped commands point at the wrapper's line). */
  lines: (number | undefined)[];
  /** The container's `env:`, each variable with the line it is set on. */
  env: Map<string, EnvValue>;
  /** container path → host path, from volumeMounts and hostPath volumes. */
  mounts: { containerPath: string; hostPath: string }[];
}

export type ManifestRead = { ok: true; found: ManifestCommand[] } | { ok: false; error: string };

/** Every container of the manifest that runs etcd or kube-apiserver. The file is parsed once. */
export function readManifest(path: string, text: string): ManifestRead {
  const source = parseYamlSource(text);
  if (source.errors.length > 0) return { ok: false, error: `not valid YAML: ${source.errors[0]}` };
  const root = source.doc.contents;
  const spec = get(root, 'spec');
  const containers = get(spec, 'containers');
  if (!isSeq(containers)) return { ok: false, error: 'no spec.containers list' };
  const volumes = hostPathVolumes(get(spec, 'volumes'));

  const found: ManifestCommand[] = [];
  for (const container of containers.items) {
    const words = [...scalars(get(container, 'command')), ...scalars(get(container, 'args'))];
    const name = scalarValue(get(container, 'name'));
    const env = containerEnv(get(container, 'env'), (node) => {
      const line = source.lineOf(node);
      return `${path}${line === undefined ? '' : ` line ${line}`} (env of container ${typeof name === 'string' ? name : '?'})`;
    });
    const expanded = words.map((w) => expandKubelet(scalarString(w.value), env));
    const argv = expanded.map((word) => word.value);
    const known = Object.fromEntries([...env].flatMap(([n, v]) => (v.unknown === undefined ? [[n, v.value]] : [])));
    const command = findComponent(argv, known);
    if (!command) continue;
    // A word that uses a variable set from valueFrom: its value is not known here. (Inside an
    // `sh -c` string the shell reads such a word as an expansion of its own.)
    if (!command.fromShell) {
      command.origin.forEach((index, i) => {
        if (expanded[index]!.unknownNames.length > 0) command.expansions.push({ index: i, text: scalarString(words[index]!.value), splits: false });
      });
    }
    const lines = command.origin.map((index) => source.lineOf(words[index]));
    const mounts: ManifestCommand['mounts'] = [];
    const volumeMounts = get(container, 'volumeMounts');
    if (isSeq(volumeMounts)) {
      for (const mount of volumeMounts.items) {
        const hostPath = volumes.get(scalarString(scalarValue(get(mount, 'name'))));
        const containerPath = scalarValue(get(mount, 'mountPath'));
        if (hostPath && typeof containerPath === 'string') mounts.push({ containerPath, hostPath });
      }
    }
    found.push({ path, command, lines, env, mounts });
  }
  return { ok: true, found };
}

function get(node: unknown, key: string): unknown {
  return isMap(node) ? node.get(key, true) : undefined;
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}

function scalars(node: unknown): Scalar[] {
  return isSeq(node) ? node.items.filter((item): item is Scalar => isScalar(item)) : [];
}

/**
 * A container's `env:` list, in order (a later entry of the same name wins, as the kubelet builds
 * it), each value expanded with the variables before it.
 */
function containerEnv(node: unknown, where: (item: unknown) => string): Map<string, EnvValue> {
  const env = new Map<string, EnvValue>();
  if (!isSeq(node)) return env;
  for (const item of node.items) {
    const name = scalarValue(get(item, 'name'));
    if (typeof name !== 'string') continue;
    const value = scalarValue(get(item, 'value'));
    const source = where(item);
    if (get(item, 'valueFrom') !== undefined) {
      env.set(name, { value: '', source, unknown: 'it is set from valueFrom (a field, secret or config map the kubelet resolves)' });
      continue;
    }
    const written = value === undefined || value === null ? '' : scalarString(value);
    const expanded = expandKubelet(written, env);
    if (expanded.unknownNames.length > 0) {
      const uses = expanded.unknownNames.map((used) => `$(${used})`).join(', ');
      env.set(name, { value: written, source, unknown: `its value uses ${uses}, which is set from valueFrom (the kubelet resolves it)` });
    } else env.set(name, { value: expanded.value, source });
  }
  return env;
}

function hostPathVolumes(node: unknown): Map<string, string> {
  const volumes = new Map<string, string>();
  if (!isSeq(node)) return volumes;
  for (const item of node.items) {
    const name = scalarValue(get(item, 'name'));
    const path = scalarValue(get(get(item, 'hostPath'), 'path'));
    if (typeof name === 'string' && typeof path === 'string') volumes.set(name, path);
  }
  return volumes;
}
