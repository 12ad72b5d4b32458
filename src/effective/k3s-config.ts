import type { Evidence } from '../model.js';
import type { GoValue } from './go-yaml.js';
import { goString, readGoYaml } from './go-yaml.js';

// How k3s and RKE2 read their configuration (k3s-io/k3s pkg/configfilearg/parser.go, which RKE2's
// main.go uses too): the config file and its drop-ins become command-line arguments put right after
// the subcommand, before the real ones, and urfave/cli takes the last occurrence of a flag:
// command line > config files (a later file over an earlier one) > K3S_* / RKE2_* variable > default.
// - readConfigFile: each file parsed with go-yaml v2 into a MapSlice (key order kept); a key ending
//   in `+` appends to the value so far, any other key replaces it (lists too); keys keep the order
//   they first appeared in;
// - each key becomes --key=value (-k=value for a one-letter key), a list one --key=item per item,
//   scalars as convert.ToString prints them (true, 5).

/** One argument as k3s ends up with it: the flag (without dashes) and its value, with where it was written. */
export interface RancherArg {
  flag: string;
  value: string;
  evidence: Evidence;
}

export interface ConfigFile {
  path: string;
  text: string;
}

export type ConfigArgs = { ok: true; args: RancherArg[] } | { ok: false; error: string };

/** The arguments the config files give, in the order k3s puts them on its command line. */
export function configArgs(files: ConfigFile[]): ConfigArgs {
  const values = new Map<string, { value: string; evidence: Evidence }[]>();
  for (const file of files) {
    const read = readGoYaml(file.text);
    if (!read.ok) return { ok: false, error: `${file.path}: ${read.error}` };
    if (read.root === undefined || read.root.kind === 'null') continue;
    if (read.root.kind !== 'map') return { ok: false, error: `${file.path}: not a YAML mapping` };
    for (const entry of read.root.entries) {
      const append = entry.key.endsWith('+');
      const key = append ? entry.key.slice(0, -1) : entry.key;
      const source = entry.line === undefined ? file.path : `${file.path} line ${entry.line}`;
      const items = toStrings(entry.value).map((value) => ({ value, evidence: { source, key: entry.key, value } }));
      const previous = values.get(key);
      values.set(key, append && previous ? [...previous, ...items] : items);
    }
  }
  return { ok: true, args: [...values].flatMap(([flag, items]) => items.map((item) => ({ flag, ...item }))) };
}

/** convert.ToString of a scalar; a list's items each. */
function toStrings(value: GoValue): string[] {
  if (value.kind === 'seq') return value.items.flatMap(toStrings);
  return value.kind === 'map' ? [] : [goString(value)];
}

/**
 * The flags of a k3s or RKE2 command line (urfave/cli v1 over Go's flag package): -f and --f,
 * `=value` or the next word for the flags in `withValue`; everything else is a word of its own.
 */
export function commandLineArgs(argv: string[], withValue: ReadonlySet<string>, source: string): RancherArg[] {
  const args: RancherArg[] = [];
  for (let i = 0; i < argv.length; i++) {
    const match = /^--?([A-Za-z0-9][A-Za-z0-9-]*)(?:=([\s\S]*))?$/.exec(argv[i]!);
    if (!match) continue;
    const flag = match[1]!;
    let value = match[2];
    if (value === undefined && withValue.has(flag) && i + 1 < argv.length) value = argv[++i];
    const shown = value ?? 'true';
    args.push({ flag, value: shown, evidence: { source, key: `--${flag}`, value: shown } });
  }
  return args;
}

/** The value a flag ends up with (the last occurrence, under any of its names), if any. */
export function lastOf(args: RancherArg[], names: readonly string[]): RancherArg | undefined {
  return args.filter((arg) => names.includes(arg.flag)).at(-1);
}
