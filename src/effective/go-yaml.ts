import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Node, Scalar } from 'yaml';

// YAML as the Go programs fleetbench models read it: go-yaml v2 (etcd through sigs.k8s.io/yaml,
// k3s and RKE2 directly). What matters is what go-yaml v2 does, not what YAML 1.2 says:
// - only the first document of the stream is read (yaml.v2 decode.go: the parser stops there);
// - plain scalars are resolved by go-yaml v2's own table (resolve.go resolveMapList and resolve()):
//   y/yes/on are true, n/no/off are false, ~/null/empty are null, 010 is octal, 0x1F hex, 08 a float;
// - a duplicate key is no error and the later one wins (decode.go: only strict mode complains);
// - `<<` merges a mapping (or a list of them, earlier ones winning) in at its own position, so
//   a key written before it is overwritten by the merged one (decode.go merge(): v2, unlike v3).
// Host files are untrusted: errors are returned, never thrown, and aliases are expanded a bounded
// number of times.

export type GoScalar =
  { kind: 'null' } | { kind: 'bool'; value: boolean } | { kind: 'int'; value: bigint } | { kind: 'float'; value: number } | { kind: 'string'; value: string };

export interface GoEntry {
  /** The key as written (after go-yaml's resolution, as a string). */
  key: string;
  value: GoValue;
  /** 1-based line of the key, for evidence. */
  line: number | undefined;
}

export type GoValue =
  | (GoScalar & { text: string; quoted: boolean; line: number | undefined })
  | { kind: 'map'; entries: GoEntry[]; line: number | undefined }
  | { kind: 'seq'; items: GoValue[]; line: number | undefined };

export type GoYamlRead = { ok: true; root: GoValue | undefined } | { ok: false; error: string };

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: Record<string, number> = {
  '.nan': NaN,
  '.NaN': NaN,
  '.NAN': NaN,
  '.inf': Infinity,
  '.Inf': Infinity,
  '.INF': Infinity,
  '+.inf': Infinity,
  '+.Inf': Infinity,
  '+.INF': Infinity,
  '-.inf': -Infinity,
  '-.Inf': -Infinity,
  '-.INF': -Infinity,
};
// go-yaml v2 resolve.go yamlStyleFloat.
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const MAX_EXPANSIONS = 10_000;

/** go-yaml v2 resolve() for a plain scalar without a tag. */
export function resolvePlain(text: string): GoScalar {
  if (TRUE.has(text)) return { kind: 'bool', value: true };
  if (FALSE.has(text)) return { kind: 'bool', value: false };
  if (NULL.has(text)) return { kind: 'null' };
  const special = SPECIAL_FLOATS[text];
  if (special !== undefined) return { kind: 'float', value: special };
  const first = text[0]!;
  if (first === '.') {
    const float = goParseFloat(text);
    return float === undefined ? { kind: 'string', value: text } : { kind: 'float', value: float };
  }
  if (!/[-+0-9]/.test(first)) return { kind: 'string', value: text };
  // Timestamps (YYYY-...) decode into an interface{} as the string they are (decode.go, "for
  // backward compatibility"), which is what reaches etcd: nothing to do here.
  const plain = text.replaceAll('_', '');
  const int = goParseInt(plain);
  if (int !== undefined && int >= -INT64_MAX - 1n && int <= UINT64_MAX) return { kind: 'int', value: int };
  if (YAML_FLOAT.test(plain)) {
    const float = goParseFloat(plain);
    if (float !== undefined) return { kind: 'float', value: float };
  }
  return { kind: 'string', value: text };
}

/** strconv.ParseInt(s, 0, 64) / ParseUint: sign, then 0x, 0o, 0b or a leading 0 for octal. */
function goParseInt(text: string): bigint | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits] = match;
  let value: bigint;
  if (/^0[oO]/.test(digits!)) value = BigInt(`0o${digits!.slice(2)}`);
  else if (/^0[0-7]+$/.test(digits!)) value = BigInt(`0o${digits!.slice(1)}`);
  else value = BigInt(digits!);
  return sign === '-' ? -value : value;
}

function goParseFloat(text: string): number | undefined {
  if (!/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return undefined;
  return Number(text);
}

/**
 * The first document of `text`, as go-yaml v2 decodes it into interface{} values, with the line
 * of every key. A syntax error in that document is an error, as it is for go-yaml.
 */
export function readGoYaml(text: string): GoYamlRead {
  const lineCounter = new LineCounter();
  // The failsafe schema leaves every scalar as written: go-yaml's own rules resolve it below.
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, lineCounter, prettyErrors: false });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (!doc) return { ok: true, root: undefined };
  const firstError = doc.errors[0];
  if (firstError) return { ok: false, error: `not valid YAML: ${firstError.message.split('\n')[0] ?? firstError.message}` };
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  let expansions = 0;

  const convert = (node: unknown, depth: number): GoValue => {
    if (depth > 64 || ++expansions > MAX_EXPANSIONS) throw new GoYamlError('too deeply nested, or too many alias expansions');
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) throw new GoYamlError(`unknown anchor '${node.source}' referenced`);
      return convert(target, depth + 1);
    }
    if (isScalar(node)) return scalar(node, lineOf(node));
    if (isMap(node)) {
      const entries: GoEntry[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = keyNode === null ? { kind: 'null' as const, text: '', quoted: false, line: undefined } : convert(keyNode, depth + 1);
        const value = pair.value === null ? nullAt(lineOf(keyNode)) : convert(pair.value, depth + 1);
        if (key.kind === 'map' || key.kind === 'seq') throw new GoYamlError('a mapping or a list used as a key');
        if (key.kind === 'string' && key.value === '<<' && !key.quoted) {
          merge(entries, value);
          continue;
        }
        entries.push({ key: goString(key, 'null'), value, line: lineOf(keyNode) ?? key.line });
      }
      return { kind: 'map', entries, line: lineOf(node) };
    }
    if (isSeq(node))
      return { kind: 'seq', items: node.items.map((item) => (item === null ? nullAt(undefined) : convert(item, depth + 1))), line: lineOf(node) };
    return nullAt(undefined);
  };

  try {
    return { ok: true, root: doc.contents === null ? undefined : convert(doc.contents, 0) };
  } catch (error) {
    if (error instanceof GoYamlError) return { ok: false, error: error.message };
    throw error;
  }
}

class GoYamlError extends Error {}

function nullAt(line: number | undefined): GoValue {
  return { kind: 'null', text: '', quoted: false, line };
}

function scalar(node: Scalar, line: number | undefined): GoValue {
  const text = String(node.value);
  const quoted = node.type !== 'PLAIN';
  const tag = node.tag;
  if (quoted || tag === '!!str' || tag === 'tag:yaml.org,2002:str') return { kind: 'string', value: text, text, quoted, line };
  return { ...resolvePlain(text), text, quoted, line };
}

/**
 * A scalar as Go prints it when it becomes a string: sigs.k8s.io/yaml's map keys, k3s's
 * convert.ToString, a flag's value. Null is `null` as a key, '' elsewhere; a collection is ''.
 */
export function goString(value: GoValue, nullText = ''): string {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'bool':
    case 'float':
      return String(value.value);
    case 'int':
      return value.value.toString();
    case 'null':
      return nullText;
    default:
      return '';
  }
}

/** decode.go merge(): a mapping's entries, or each mapping of a list from the last to the first (earlier ones win). */
function merge(into: GoEntry[], value: GoValue): void {
  const maps = value.kind === 'map' ? [value] : value.kind === 'seq' ? [...value.items].reverse() : [];
  if (maps.length === 0 || maps.some((m) => m.kind !== 'map')) throw new GoYamlError('map merge requires map or sequence of maps as the value');
  for (const map of maps) if (map.kind === 'map') into.push(...map.entries);
}
