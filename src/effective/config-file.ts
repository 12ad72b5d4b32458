import { isMap, isScalar } from 'yaml';
import type { Pair, Scalar, YAMLMap } from 'yaml';
import type { Setting } from './settings.js';
import { parseYamlSource, scalarString } from './yaml-source.js';

// etcd's --config-file (RKE2, k3s, hand-made setups). Keys are the flag names, except the TLS
// settings, which live under client-transport-security and peer-transport-security. etcd reads
// the file with go-yaml v2 into Go structs: a quoted "true" for a boolean makes it refuse to start.

const TRANSPORT_SECTIONS: Record<string, string> = {
  'client-transport-security': '',
  'peer-transport-security': 'peer-',
};

export type ConfigFileRead = { ok: true; settings: Map<string, Setting> } | { ok: false; error: string };

export function readEtcdConfigFile(path: string, text: string, booleans: ReadonlySet<string>): ConfigFileRead {
  const source = parseYamlSource(text, { yaml11: true });
  if (source.errors.length > 0) return { ok: false, error: `not valid YAML: ${source.errors[0]}` };
  const root = source.doc.contents;
  if (root === null) return { ok: true, settings: new Map() };
  if (!isMap(root)) return { ok: false, error: 'not a YAML mapping' };

  const settings = new Map<string, Setting>();
  const add = (key: string, written: string, pair: Pair, value: Scalar) => {
    const line = source.lineOf(pair.key) ?? source.lineOf(value);
    const setting: Setting = {
      key,
      value: scalarText(value),
      evidence: { source: line ? `${path} line ${line}` : path, key: written, value: scalarText(value) },
      overridden: [],
    };
    const problem = typeProblem(key, value, booleans);
    if (problem) setting.rejected = problem;
    settings.set(key, setting);
  };

  for (const pair of (root as YAMLMap).items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (name === undefined) continue;
    const prefix = TRANSPORT_SECTIONS[name];
    if (prefix !== undefined && isMap(pair.value)) {
      for (const inner of pair.value.items) {
        if (isScalar(inner.key) && isScalar(inner.value)) {
          const innerName = String(inner.key.value);
          add(`${prefix}${innerName}`, `${name}.${innerName}`, inner, inner.value);
        }
      }
    } else if (isScalar(pair.value)) {
      add(name, name, pair, pair.value);
    }
  }
  return { ok: true, settings };
}

function scalarText(node: Scalar): string {
  return scalarString(node.value);
}

function typeProblem(key: string, node: Scalar, booleans: ReadonlySet<string>): string | undefined {
  if (!booleans.has(key) || typeof node.value === 'boolean') return undefined;
  const written = node.source ?? String(node.value);
  return (
    `etcd reads ${key} as a YAML boolean and would refuse to start with ${JSON.stringify(written)}` +
    (typeof node.value === 'string' && node.type !== 'PLAIN' ? ' (the quotes make it a string)' : '')
  );
}
