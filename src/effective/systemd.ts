import type { Expansion } from './command.js';
import { nameMatches, UNIT_DIRS } from '../collect/host-paths.js';
import type { FileFact, HostSnapshot } from '../model.js';
import { couldList, factSays } from './file-facts.js';
import { baseName } from './command.js';
import { parseEnvFile } from './env-file.js';
import type { UnitEntry } from './systemd-syntax.js';
import { envNameIsValid, expandSpecifiers, extractWord, extractWords, unitEntries } from './systemd-syntax.js';

// What systemd would start for a service unit (systemd-stable v256; v252 the same unless said):
// - the unit file: the first directory of the search path holding it (src/basic/path-lookup.c
//   lookup_paths_init, v256 L626-648; host-paths.ts UNIT_DIRS), the template's for an instance
//   without a file of its own; an empty file or a link to /dev/null masks the unit;
// - drop-ins (src/shared/dropin.c unit_file_find_dropin_paths, v256 L224-278): <name>.d/, the
//   template's, the dash-prefix ones (foo-bar-baz.service reads foo-bar-.service.d/ and
//   foo-.service.d/, v239 and later), in every directory of the search path, then service.d/
//   (v244 and later); of equally named *.conf files only the first in that order counts, and all
//   are applied in file-name order whatever their directory (src/basic/conf-files.c);
// - the environment (systemd.exec(5), src/core/exec-invoke.c v256 L4612-4617): Environment= in
//   order, an empty one resetting it; EnvironmentFile= files in order, each overriding the ones
//   before and all of them overriding Environment=, an empty one resetting the list, `-` for a
//   file that may be missing, wildcards; UnsetEnvironment= last; PassEnvironment= takes the
//   manager's own environment, which fleetbench does not see;
// - ExecStart= (systemd.service(5), src/core/load-fragment.c config_parse_exec): prefixes @ - : +
//   ! !!, an empty one resetting the list, more than one refused unless Type=oneshot
//   (src/core/service.c v256 L663-664); at exec time a word that is exactly $NAME becomes the
//   value split into words, ${NAME} inside a word the value as it is, $NAME inside a word stays
//   as written, and `:` turns all of that off (src/basic/env-util.c replace_env_argv).

export interface EnvValue {
  value: string;
  source: string;
  /** Set when the value cannot be known here (a specifier that depends on the host), and why. */
  unknown?: string;
}

export interface ExecCommand {
  /** The words as written, after unquoting and specifiers, before $ substitution. */
  words: string[];
  /** The file and line it is written on. */
  source: string;
  /** `:` prefix: no environment variable substitution. */
  literal: boolean;
  /** `@` prefix: the second word is argv[0] of the process. */
  separateArgv0: boolean;
}

export interface UnitConfig {
  unit: string;
  /** The unit file systemd uses. */
  path: string;
  execStart?: ExecCommand;
  env: Map<string, EnvValue>;
  /** Files the unit depends on that could not be read, and why: what comes from them is unknown. */
  missingEnv: string[];
  /** Of those, the environment files the probe did not look at (a name it could not expand, %N): to be asked for. */
  uncollected: string[];
  /** Wildcards of EnvironmentFile= whose directory has not been listed yet: to be asked for. */
  unlisted: { dir: string; names: string[] }[];
  /** Files consulted, unit file and drop-ins first, for evidence. */
  sources: string[];
  /** Why systemd would not start the unit as it is on disk, when it would not. */
  refused?: string;
  /** What else systemd does that fleetbench can only say, not see. */
  notes: string[];
}

export type UnitRead = { found: true; unit: UnitConfig } | { found: false; reason: string };

/** An instance's template: etcd@a.service → etcd@.service. */
function templateOf(unit: string): string | undefined {
  const match = /^([^@]+)@[^@]+(\.[a-z]+)$/.exec(unit);
  return match ? `${match[1]}@${match[2]}` : undefined;
}

/**
 * The names whose `.d/` directories hold drop-ins for `unit`, most specific first: itself, its
 * template, then each dash prefix (src/shared/dropin.c unit_file_find_dirs).
 */
export function dropInNames(unit: string): string[] {
  const dot = unit.lastIndexOf('.');
  const type = unit.slice(dot);
  const names: string[] = [];
  const visit = (name: string) => {
    names.push(name);
    const template = templateOf(name);
    if (template) visit(template);
    const base = name.slice(0, name.lastIndexOf('.'));
    const at = base.indexOf('@');
    // A template (etcd@.service) is no instance: its prefix has none either.
    const instance = at < 0 || at === base.length - 1 ? undefined : base.slice(at + 1);
    let prefix = at < 0 ? base : base.slice(0, at);
    let chopped = false;
    for (;;) {
      const dash = prefix.lastIndexOf('-');
      if (dash <= 0) return;
      if (dash !== prefix.length - 1 || chopped) {
        prefix = prefix.slice(0, dash + 1);
        break;
      }
      prefix = prefix.slice(0, dash);
      chopped = true;
    }
    visit(`${prefix}${instance === undefined ? '' : `@${instance}`}${type}`);
  };
  visit(unit);
  return names;
}

/** What the probe said of a unit file or drop-in that is there: readable, masked, or not readable. */
function fileState(file: FileFact | undefined): 'absent' | 'masked' | 'unreadable' | 'text' {
  if (!file) return 'absent';
  if (!file.exists) return file.unreadable?.includes('under /proc, /sys or /dev') ? 'masked' : file.unreadable ? 'unreadable' : 'absent';
  if (file.content === '' || file.realPath === '/dev/null') return 'masked';
  return file.content === undefined ? 'unreadable' : 'text';
}

function fragmentOf(unit: string, files: Record<string, FileFact>): { path: string; state: ReturnType<typeof fileState> } | undefined {
  for (const name of [unit, templateOf(unit)]) {
    if (name === undefined) continue;
    for (const dir of UNIT_DIRS) {
      const path = `${dir}/${name}`;
      const state = fileState(files[path]);
      if (state !== 'absent') return { path, state };
    }
  }
  return undefined;
}

/** The drop-ins that apply, in the order systemd applies them. */
function dropIns(unit: string, files: Record<string, FileFact>): { path: string; state: ReturnType<typeof fileState> }[] {
  const type = unit.slice(unit.lastIndexOf('.') + 1);
  const dirs = [...UNIT_DIRS.flatMap((dir) => dropInNames(unit).map((name) => `${dir}/${name}.d`)), ...UNIT_DIRS.map((dir) => `${dir}/${type}.d`)];
  const chosen = new Map<string, { path: string; state: ReturnType<typeof fileState> }>();
  const paths = Object.keys(files);
  for (const dir of dirs) {
    for (const path of paths) {
      if (!path.startsWith(`${dir}/`) || !path.endsWith('.conf') || path.slice(dir.length + 1).includes('/')) continue;
      const name = baseName(path);
      const state = fileState(files[path]);
      if (state !== 'absent' && !chosen.has(name)) chosen.set(name, { path, state });
    }
  }
  return [...chosen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, file]) => file);
}

interface Accumulated {
  environment: Map<string, EnvValue>;
  environmentFiles: { path: string; optional: boolean; source: string; unknown?: string }[];
  unset: { pattern: string; source: string }[];
  exec: ExecCommand[];
  type: string;
  notes: string[];
}

/** What the probe saw beyond files: the listings it made (for wildcards) and with what privilege. */
export type ListingsSeen = Pick<HostSnapshot, 'listed' | 'privilege'>;

export function readUnit(unit: string, files: Record<string, FileFact>, seen: ListingsSeen = { listed: [], privilege: 'root' }): UnitRead {
  const fragment = fragmentOf(unit, files);
  if (!fragment) return { found: false, reason: `no unit file ${unit} was found in systemd's unit directories` };
  if (fragment.state === 'unreadable')
    return { found: false, reason: `${fragment.path} could not be read (${files[fragment.path]?.unreadable ?? 'no content'})` };
  if (fragment.state === 'masked')
    return { found: false, reason: `${fragment.path} masks ${unit} (an empty file or a link to /dev/null): systemd does not start it` };

  const config: UnitConfig = { unit, path: fragment.path, env: new Map(), missingEnv: [], uncollected: [], unlisted: [], sources: [fragment.path], notes: [] };
  const acc: Accumulated = { environment: new Map(), environmentFiles: [], unset: [], exec: [], type: 'simple', notes: config.notes };
  const apply = (path: string) => {
    for (const entry of unitEntries(files[path]?.content ?? '')) if (entry.section === '[Service]') applyEntry(acc, entry, path, unit, fragment.path);
  };
  apply(fragment.path);
  for (const dropIn of dropIns(unit, files)) {
    if (dropIn.state === 'masked') continue;
    if (dropIn.state === 'unreadable') {
      config.missingEnv.push(`${dropIn.path} (${files[dropIn.path]?.unreadable ?? 'no content'})`);
      continue;
    }
    config.sources.push(dropIn.path);
    apply(dropIn.path);
  }

  if (acc.exec.length > 1 && acc.type !== 'oneshot')
    config.refused = `systemd refuses to load ${unit}: it has ${acc.exec.length} ExecStart= commands (${acc.exec.map((e) => e.source).join(', ')}), which only Type=oneshot allows; a drop-in that replaces the command must first reset it with an empty ExecStart= (src/core/service.c service_verify)`;
  const last = acc.exec.at(-1);
  if (last) config.execStart = last;
  buildEnvironment(config, acc, files, seen);
  return { found: true, unit: config };
}

function applyEntry(acc: Accumulated, entry: UnitEntry, path: string, unit: string, fragment: string): void {
  const where = `${path} line ${entry.line}`;
  const { key, value } = entry;
  if (key === 'Type') acc.type = value;
  else if (key === 'Environment') {
    if (value === '') {
      acc.environment.clear();
      return;
    }
    const { words, error } = extractWords(value, { cunescape: true });
    if (error) acc.notes.push(`${where}: systemd ignores the rest of Environment= after ${error} ("Invalid syntax, ignoring")`);
    for (const word of words) {
      const printed = expandSpecifiers(word, unit, fragment);
      const eq = word.indexOf('=');
      const name = eq < 0 ? word : word.slice(0, eq);
      if (!printed.ok && 'error' in printed) {
        acc.notes.push(`${where}: systemd drops ${word}: ${printed.error} ("Failed to resolve specifiers")`);
        continue;
      }
      if (!envNameIsValid(name) || eq < 0) {
        acc.notes.push(`${where}: systemd drops ${JSON.stringify(word)}: not a NAME=value assignment ("Invalid environment assignment, ignoring")`);
        continue;
      }
      acc.environment.set(
        name,
        printed.ok
          ? { value: printed.value.slice(eq + 1), source: where }
          : { value: word.slice(eq + 1), source: where, unknown: `it uses ${printed.unknown}, which depends on the host` },
      );
    }
  } else if (key === 'EnvironmentFile') {
    if (value === '') {
      acc.environmentFiles = [];
      return;
    }
    const printed = expandSpecifiers(value, unit, fragment);
    if (!printed.ok && 'error' in printed) {
      acc.notes.push(`${where}: systemd ignores EnvironmentFile=${value}: ${printed.error}`);
      return;
    }
    const text = printed.ok ? printed.value : value;
    const optional = text.startsWith('-');
    const file = optional ? text.slice(1) : text;
    if (!file.startsWith('/')) {
      acc.notes.push(`${where}: systemd ignores EnvironmentFile=${value}: not an absolute path`);
      return;
    }
    acc.environmentFiles.push({
      path: file,
      optional,
      source: where,
      ...(printed.ok ? {} : { unknown: `it uses ${printed.unknown}, which depends on the host` }),
    });
  } else if (key === 'UnsetEnvironment') {
    if (value === '') {
      acc.unset = [];
      return;
    }
    for (const word of extractWords(value, { cunescape: true }).words) {
      const printed = expandSpecifiers(word, unit, fragment);
      if (printed.ok) acc.unset.push({ pattern: printed.value, source: where });
    }
  } else if (key === 'PassEnvironment') {
    const names = extractWords(value, { cunescape: true }).words;
    if (names.length > 0)
      acc.notes.push(
        `${where}: PassEnvironment=${names.join(' ')} passes the service manager's own values, which fleetbench does not see (Environment= and EnvironmentFile= override them)`,
      );
  } else if (key === 'ExecStart') {
    if (value === '') {
      acc.exec = [];
      return;
    }
    acc.exec.push(...execCommands(value, where, unit, fragment, acc.notes));
  }
}

/** config_parse_exec(): one or more commands separated by a lone `;`. */
function execCommands(value: string, where: string, unit: string, fragment: string, notes: string[]): ExecCommand[] {
  const commands: ExecCommand[] = [];
  let rest = value;
  for (;;) {
    const first = extractWord(rest, { cunescape: true });
    if (!first.ok) {
      notes.push(`${where}: systemd cannot read ExecStart=: ${first.error}`);
      return commands;
    }
    if (first.word === undefined) return commands;
    rest = first.rest;
    if (first.word === ';') continue;
    const prefix = /^(?:[-@:+]|!!?)*/.exec(first.word)![0];
    const words: string[] = [first.word.slice(prefix.length)];
    let semicolon = false;
    for (;;) {
      if (/^;(\s|$)/.test(rest)) {
        rest = rest.slice(1);
        semicolon = true;
        break;
      }
      const next = extractWord(rest, { cunescape: true });
      if (!next.ok) {
        notes.push(`${where}: systemd cannot read ExecStart=: ${next.error}`);
        return commands;
      }
      if (next.word === undefined) break;
      words.push(next.word);
      rest = next.rest;
    }
    const printed = words.map((w) => expandSpecifiers(w, unit, fragment));
    commands.push({
      words: printed.map((p, i) => (p.ok ? p.value : words[i]!)),
      source: where,
      literal: prefix.includes(':'),
      separateArgv0: prefix.includes('@'),
    });
    if (!semicolon) return commands;
  }
}

/**
 * The files a wildcard of EnvironmentFile= matches, sorted as glob(3) returns them, or why they
 * cannot be told (only a wildcard in the last component is listed, in a directory the probe listed).
 */
function globbed(path: string, files: Record<string, FileFact>, seen: ListingsSeen, config: UnitConfig): string[] | undefined {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash);
  const pattern = path.slice(slash + 1);
  if (/[*?[]/.test(dir)) {
    config.missingEnv.push(`${path} (a wildcard in a directory name: fleetbench does not list those)`);
    return undefined;
  }
  const dirFact = files[dir];
  if (!seen.listed.includes(`${dir}/${pattern}`) || !dirFact) {
    config.missingEnv.push(`${path} (the files it matches have not been listed)`);
    config.unlisted.push({ dir, names: [pattern] });
    return undefined;
  }
  if (!dirFact.exists && !dirFact.unreadable) return [];
  const listing = dirFact.exists && dirFact.type === 'directory' ? couldList(dirFact, seen) : `${dir} ${factSays(dirFact)}`;
  if (listing !== true) {
    config.missingEnv.push(`${path} (${listing})`);
    return undefined;
  }
  return Object.keys(files)
    .filter((p) => p.startsWith(`${dir}/`) && !p.slice(slash + 1).includes('/') && nameMatches(pattern, p.slice(slash + 1)) && files[p]!.type !== 'directory')
    .sort();
}

function buildEnvironment(config: UnitConfig, acc: Accumulated, files: Record<string, FileFact>, seen: ListingsSeen): void {
  const fromFiles = new Map<string, EnvValue>();
  for (const named of acc.environmentFiles) {
    if (named.unknown !== undefined) {
      config.missingEnv.push(`${named.path} (${named.unknown})`);
      continue;
    }
    // "Filename supports globbing, take all matching files" (src/core/execute.c); no match is an error without "-".
    const paths = /[*?[]/.test(named.path) ? globbed(named.path, files, seen, config) : [named.path];
    if (paths === undefined) continue;
    if (paths.length === 0 && !named.optional)
      config.refused ??= `systemd would not start ${config.unit}: EnvironmentFile=${named.path} (${named.source}) matches no file and has no "-" prefix ("Failed to load environment files")`;
    for (const path of paths) {
      const file = files[path];
      if (file?.content !== undefined) {
        config.sources.push(path);
        const parsed = parseEnvFile(file.content);
        for (const [name, entry] of parsed.values) {
          const source = `${path} line ${entry.line}${entry.versionNote ? ` (${entry.versionNote})` : ''}`;
          fromFiles.set(name, { value: entry.value, source });
        }
        for (const invalid of parsed.invalid)
          config.notes.push(
            `${path} line ${invalid.line}: systemd ignores the assignment to ${JSON.stringify(invalid.key)}: not a variable name ("Ignoring invalid environment assignment")`,
          );
      } else if (file && !file.exists && !file.unreadable) {
        if (!named.optional)
          config.refused ??= `systemd would not start ${config.unit}: EnvironmentFile=${path} (${named.source}) does not exist and has no "-" prefix ("Failed to load environment files")`;
      } else {
        config.missingEnv.push(`${path}${file?.unreadable ? ` (${file.unreadable})` : file && !file.exists ? ' (missing)' : ' (not collected)'}`);
        if (!file) config.uncollected.push(path);
      }
    }
  }
  config.env = new Map([...acc.environment, ...fromFiles]);
  for (const { pattern } of acc.unset) {
    const eq = pattern.indexOf('=');
    for (const [name, entry] of config.env) {
      if (eq < 0 ? name === pattern : `${name}=${entry.value}` === pattern) config.env.delete(name);
    }
  }
}

/**
 * ExecStart='s argv as the process gets it: `$NAME` words split, `${NAME}` substituted, from the
 * unit's environment; `unknown` lists the variables whose values fleetbench does not have.
 */
export function execArgv(unit: UnitConfig): { argv: string[]; unknown: Expansion[] } | undefined {
  const command = unit.execStart;
  if (!command) return undefined;
  const unknown: Expansion[] = [];
  const known = (name: string): boolean => {
    const entry = unit.env.get(name);
    return !(entry?.unknown !== undefined || (entry === undefined && unit.missingEnv.length > 0));
  };
  const valueOf = (name: string): string => unit.env.get(name)?.value ?? '';
  const [path, ...rest] = command.words;
  const args = command.separateArgv0 ? rest.slice(1) : rest;
  const argv = [path ?? ''];
  for (const word of args) {
    if (command.literal) {
      argv.push(word);
      continue;
    }
    const whole = /^\$([^{$].*)$/.exec(word);
    if (whole) {
      if (!envNameIsValid(whole[1]!)) continue;
      // A word that is exactly $NAME becomes the value's words: of a value not read, any number of them.
      if (!known(whole[1]!)) {
        unknown.push({ index: argv.length, text: word, splits: true });
        argv.push(word);
      } else argv.push(...extractWords(valueOf(whole[1]!), { cunescape: false, relax: true }).words);
      continue;
    }
    const substituted = word.replace(/\$\$|\$\{([^}:]*)\}/g, (written, name?: string) => (name === undefined ? '$' : known(name) ? valueOf(name) : written));
    if ([...word.matchAll(/\$\{([^}:]*)\}/g)].some((m) => !known(m[1]!))) unknown.push({ index: argv.length, text: word, splits: false });
    argv.push(substituted);
  }
  return { argv, unknown };
}
