import type { Evidence } from '../model.js';
import type { FileKey, GoFieldKey, GoType } from './etcd-file-keys.js';
import { GO_FIELD_KEYS, jsonFold, SECTIONS, SECURITY_KEYS, sectionFlag, TOP_LEVEL_KEYS } from './etcd-file-keys.js';
import { parseEtcdUrls } from './etcd-urls.js';
import type { GoEntry, GoValue } from './go-yaml.js';
import { goString, readGoYaml } from './go-yaml.js';
import type { Setting } from './settings.js';

// etcd's --config-file, read as etcd reads it (embed.ConfigFromFile → configYAML.configFromFile:
// etcd-io/etcd v3.4.45 embed/config.go L482-579, v3.5.33 server/embed/config.go L544-647,
// v3.6.14 L973-1130), and as k3s's embedded etcd and RKE2's etcd pod read theirs:
// - sigs.k8s.io/yaml.Unmarshal: go-yaml v2 (see go-yaml.ts), then encoding/json into the structs,
//   with no DisallowUnknownFields: a key etcd does not know is ignored, keys match their json name
//   case-insensitively (an exact spelling first; among spellings of one field the one that sorts
//   last wins, since json.Marshal sorts the keys), and a value of the wrong type makes etcd refuse
//   to start (no number-to-string coercion reaches etcd's fields: every field sits in an embedded
//   struct, sigs.k8s.io/yaml v1.1.0 yaml.go L238);
// - TLS settings are read only inside client-transport-security and peer-transport-security
//   (securityConfig, copied by copySecurityDetails): a top-level client-cert-auth, cert-file,
//   trusted-ca-file or auto-tls is ignored, and so is peer-cert-file inside a section;
// - the URL keys are comma-separated strings checked by types.NewURLs (os.Exit(1) on error) and,
//   for the listeners, by checkBindURLs (an IP or localhost).
// Settings are keyed by the flag they stand for, so that rules need not know where they came from.

export interface EtcdFileRead {
  ok: true;
  settings: Map<string, Setting>;
  /** Keys etcd does not read, by the flag they look like, with why: evidence of what is not in effect. */
  ignored: Map<string, Evidence[]>;
  /** Settings fleetbench cannot tell from this file, and why (a listener set through an undocumented key). */
  unknownKeys: Map<string, string>;
  /** Why etcd would refuse to start with this file, when it would. */
  refused?: string;
  /** Undocumented keys etcd decodes into Go fields, and what becomes of them, by the flags they touch. */
  notes: Map<string, string[]>;
}

export type ConfigFileRead = EtcdFileRead | { ok: false; error: string };

interface Field {
  /** The json name (or Go field name) the key matched. */
  id: string;
  entry?: FileKey;
  goField?: GoFieldKey;
}

interface Read {
  path: string;
  result: EtcdFileRead;
  problems: string[];
}

export function readEtcdConfigFile(path: string, text: string): ConfigFileRead {
  const yaml = readGoYaml(text);
  if (!yaml.ok) return { ok: false, error: `${yaml.error} (etcd refuses to start with it)` };
  const read: Read = { path, result: { ok: true, settings: new Map(), ignored: new Map(), unknownKeys: new Map(), notes: new Map() }, problems: [] };
  const root = yaml.root;
  if (root === undefined || root.kind === 'null') return read.result;
  if (root.kind !== 'map')
    return { ok: false, error: `not a YAML mapping (etcd refuses to start with it: cannot unmarshal ${jsonKind(root)} into its configuration)` };

  const { winners, losers } = pick(root.entries, topLevelField);
  for (const entry of root.entries) {
    if (winners.has(entry) || losers.has(entry)) continue;
    ignoreTopLevel(read, entry);
  }
  for (const [entry, { field, overridden }] of winners) {
    if (field.goField) readGoField(read, entry, field.goField, root.entries);
    else readTopLevel(read, entry, field.id, field.entry!, overridden);
  }
  if (read.problems.length > 0) read.result.refused = `etcd would refuse to start with ${path}: ${read.problems.join('; ')}`;
  return read.result;
}

/** The field a top-level key decodes into: its json tag exactly, a Go field name exactly, else case-insensitively. */
function topLevelField(key: string): Field | undefined {
  const exact = TOP_LEVEL_KEYS.get(key);
  if (exact) return { id: key, entry: exact };
  const folded = jsonFold(key);
  const goField = GO_FIELD_KEYS.get(folded);
  // Config's untagged fields come before configJSON's in encoding/json's field order, so a
  // case-insensitive `Cors` reaches Config.CORS, not the tag `cors`.
  if (goField) return { id: `Go field ${goField.name}`, goField };
  const entry = TOP_LEVEL_KEYS.get(folded);
  return entry ? { id: folded, entry } : undefined;
}

function securityField(key: string): Field | undefined {
  const entry = SECURITY_KEYS.get(key) ?? SECURITY_KEYS.get(jsonFold(key));
  return entry ? { id: SECURITY_KEYS.has(key) ? key : jsonFold(key), entry } : undefined;
}

/**
 * Which occurrence of each field takes effect: go-yaml keeps the last of equal keys, json.Marshal
 * then sorts the spellings, and encoding/json assigns them in that order, so the spelling that
 * sorts last wins (`name` over `Name` over `NAME`).
 */
function pick(entries: GoEntry[], fieldOf: (key: string) => Field | undefined) {
  const byField = new Map<string, { field: Field; entries: GoEntry[] }>();
  for (const entry of entries) {
    const field = fieldOf(entry.key);
    if (!field) continue;
    const group = byField.get(field.id) ?? { field, entries: [] };
    group.entries.push(entry);
    byField.set(field.id, group);
  }
  const winners = new Map<GoEntry, { field: Field; overridden: GoEntry[] }>();
  const losers = new Set<GoEntry>();
  for (const { field, entries: group } of byField.values()) {
    let winner = group[0]!;
    for (const entry of group) if (entry.key >= winner.key) winner = entry;
    const overridden = group.filter((e) => e !== winner);
    for (const loser of overridden) losers.add(loser);
    winners.set(winner, { field, overridden });
  }
  return { winners, losers };
}

function where(read: Read, line: number | undefined): string {
  return line === undefined ? read.path : `${read.path} line ${line}`;
}

function ignore(read: Read, flag: string, written: string, entry: GoEntry, why: string): void {
  const evidence: Evidence = { source: `${where(read, entry.line)}, ignored by etcd: ${why}`, key: written, value: shown(entry.value) };
  const list = read.result.ignored.get(flag) ?? [];
  list.push(evidence);
  read.result.ignored.set(flag, list);
}

const TLS_OF_A_SECTION = new Set([...SECURITY_KEYS.keys(), 'crl-file', 'client-crl-file', 'cert-allowed-cn', 'cert-allowed-hostname']);

function ignoreTopLevel(read: Read, entry: GoEntry): void {
  const folded = jsonFold(entry.key);
  const bare = folded.startsWith('peer-') ? folded.slice(5) : folded;
  if (TLS_OF_A_SECTION.has(bare)) {
    const section = folded.startsWith('peer-') ? 'peer-transport-security' : 'client-transport-security';
    ignore(
      read,
      folded,
      entry.key,
      entry,
      `a TLS setting at the top level, where etcd does not read it; it belongs under ${section} (embed/config.go securityConfig)`,
    );
    return;
  }
  ignore(read, folded, entry.key, entry, 'not a key of its config file (unknown keys are ignored)');
}

function readTopLevel(read: Read, entry: GoEntry, key: string, fileKey: FileKey, overridden: GoEntry[]): void {
  const problem = typeProblem(entry.value, fileKey.type, entry.key);
  if (fileKey.type === 'security') {
    if (problem) read.problems.push(problem);
    else if (entry.value.kind === 'map') readSection(read, entry, SECTIONS.get(key)!);
    else ignore(read, key, entry.key, entry, 'an empty section: every setting of it keeps its default');
    return;
  }
  if (fileKey.type === 'object' || fileKey.type === 'objects' || fileKey.type === 'none') {
    if (problem) read.problems.push(problem);
    return;
  }
  const flag = fileKey.flag !== undefined && !fileKey.flag.includes(',') ? fileKey.flag : key;
  addSetting(read, flag, entry.key, entry, overridden, fileKey, problem);
  if (!problem && fileKey.type === 'urls') {
    const parsed = parseEtcdUrls(scalarText(entry.value), key.startsWith('listen-'));
    if (!parsed.ok) read.problems.push(`${entry.key} ${parsed.error} (types.NewURLs, checkBindURLs: etcd exits)`);
  }
}

function readSection(read: Read, section: GoEntry, side: 'client' | 'peer'): void {
  if (section.value.kind !== 'map') return;
  const { winners, losers } = pick(section.value.entries, securityField);
  for (const entry of section.value.entries) {
    if (winners.has(entry) || losers.has(entry)) continue;
    const folded = jsonFold(entry.key);
    const written = `${section.key}.${entry.key}`;
    if (folded === 'cipher-suites') {
      ignore(read, 'cipher-suites', written, entry, 'cipher-suites is a top-level key; inside a section etcd ignores it (etcd-io/etcd#11587)');
      continue;
    }
    const flag = folded.startsWith('peer-') ? folded : side === 'peer' ? `peer-${folded}` : folded;
    ignore(
      read,
      flag,
      written,
      entry,
      folded.startsWith('peer-')
        ? `the keys of a transport section are spelled without peer- (securityConfig; etcd-io/etcd#12887)`
        : 'not a key of a transport section (securityConfig)',
    );
  }
  for (const [entry, { field, overridden }] of winners) {
    const fileKey = field.entry!;
    const problem = typeProblem(entry.value, fileKey.type, `${section.key}.${entry.key}`);
    addSetting(read, sectionFlag(side, field.id), `${section.key}.${entry.key}`, entry, overridden, fileKey, problem, section.key);
  }
}

function readGoField(read: Read, entry: GoEntry, field: GoFieldKey, all: GoEntry[]): void {
  const problem = typeProblem(entry.value, field.type, entry.key);
  if (problem) read.problems.push(problem);
  const note = `${where(read, entry.line)}: ${entry.key} is no documented key, but etcd decodes it into its Go field Config.${field.name}: ${field.fate}`;
  for (const flag of field.touches) read.result.notes.set(flag, [...(read.result.notes.get(flag) ?? []), note]);
  const documented = field.overwrittenBy;
  if (documented === undefined || entry.value.kind === 'null') return;
  const set = all.some((e) => jsonFold(e.key) === documented && e.value.kind === 'string' && e.value.value !== '');
  if (!set)
    read.result.unknownKeys.set(
      documented,
      `${read.path} sets etcd's ${documented} through the undocumented key ${entry.key} (line ${entry.line ?? '?'}), which fleetbench does not read`,
    );
}

function addSetting(
  read: Read,
  flag: string,
  written: string,
  entry: GoEntry,
  overridden: GoEntry[],
  fileKey: FileKey,
  problem: string | undefined,
  section?: string,
): void {
  if (entry.value.kind === 'null') {
    ignore(read, flag, written, entry, 'an empty value: etcd keeps the default');
    return;
  }
  const releases = fileKey.releases === undefined ? '' : ` (read by etcd ${fileKey.releases})`;
  const setting: Setting = {
    key: flag,
    value: problem ? shown(entry.value) : settingValue(entry.value),
    evidence: { source: `${where(read, entry.line)}${releases}`, key: written, value: shown(entry.value) },
    overridden: overridden.map((e) => ({
      source: where(read, e.line),
      key: section === undefined ? e.key : `${section}.${e.key}`,
      value: shown(e.value),
    })),
  };
  if (problem) {
    setting.rejected = problem;
    read.problems.push(problem);
  }
  read.result.settings.set(flag, setting);
}

function scalarText(value: GoValue): string {
  return value.kind === 'string' ? value.value : shown(value);
}

/** The value as etcd ends up with it, in the form a flag would give it. */
function settingValue(value: GoValue): string {
  return value.kind === 'seq' ? value.items.map(settingValue).join(',') : goString(value);
}

/** The value as written in the file, for evidence. */
function shown(value: GoValue): string {
  if (value.kind === 'seq') return `[${value.items.map(shown).join(', ')}]`;
  if (value.kind === 'map') return '{...}';
  return value.text;
}

function jsonKind(value: GoValue): string {
  switch (value.kind) {
    case 'int':
    case 'float':
      return 'number';
    case 'seq':
      return 'array';
    case 'map':
      return 'object';
    default:
      return value.kind;
  }
}

const WANTS: Record<GoType, string> = {
  string: 'a string',
  bool: 'a boolean',
  int: 'a whole number',
  int64: 'a whole number',
  uint: 'a whole number of zero or more',
  uint32: 'a whole number of zero or more',
  uint64: 'a whole number of zero or more',
  duration: 'a whole number of nanoseconds (time.Duration; "5s" is refused: etcd-io/etcd#13480)',
  strings: 'a YAML list of strings',
  urls: 'one string of comma-separated URLs',
  security: 'a mapping of TLS settings',
  object: 'a mapping',
  objects: 'a list of mappings',
  none: 'nothing at all (no value fits this field)',
  proxy: 'a string',
};

const RANGES: Partial<Record<GoType, [bigint, bigint]>> = {
  int: [-(2n ** 63n), 2n ** 63n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  duration: [-(2n ** 63n), 2n ** 63n - 1n],
  uint: [0n, 2n ** 64n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
};

/**
 * Why encoding/json would reject this value for a field of this type, or undefined when it takes
 * it. JSON null leaves any field as it was. A YAML float reaches JSON as json.Marshal prints it:
 * a whole float below 1e21 is a plain integer, which integer fields accept.
 */
function typeProblem(value: GoValue, type: GoType, written: string): string | undefined {
  if (value.kind === 'null') return undefined;
  const fits = (() => {
    switch (type) {
      case 'string':
      case 'urls':
        return value.kind === 'string';
      case 'bool':
        return value.kind === 'bool';
      case 'strings':
        return value.kind === 'seq' && value.items.every((item) => item.kind === 'string' || item.kind === 'null');
      case 'security':
      case 'object':
        return value.kind === 'map';
      case 'objects':
        return value.kind === 'seq' && value.items.every((item) => item.kind === 'map' || item.kind === 'null');
      case 'none':
        return false;
      case 'proxy':
        return value.kind !== 'map' && value.kind !== 'seq';
      default: {
        const range = RANGES[type]!;
        const whole =
          value.kind === 'int'
            ? value.value
            : value.kind === 'float' && Number.isInteger(value.value) && Math.abs(value.value) < 1e21
              ? BigInt(value.value)
              : undefined;
        return whole !== undefined && whole >= range[0] && whole <= range[1];
      }
    }
  })();
  if (fits) return undefined;
  const what =
    value.kind === 'string' && value.quoted && (type === 'bool' || RANGES[type] !== undefined)
      ? `a string (${JSON.stringify(value.text)}: the quotes make it one)`
      : value.kind === 'string'
        ? `a string (${JSON.stringify(value.text)})`
        : value.kind === 'seq' || value.kind === 'map'
          ? `a YAML ${value.kind === 'seq' ? 'list' : 'mapping'}`
          : `a ${value.kind === 'int' || value.kind === 'float' ? 'number' : 'boolean'} (${value.text})`;
  return `${written} is ${what}, where etcd wants ${WANTS[type]} (encoding/json: cannot unmarshal ${jsonKind(value)} into it)`;
}
