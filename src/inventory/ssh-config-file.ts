import { readdir, readFile, stat } from 'node:fs/promises';
import { BlockList, isIP } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { globMatch } from '../glob.js';
import { FileIssuesError } from '../yaml/file-issues.js';
import type { FileIssue } from '../yaml/file-issues.js';
import { expandTilde, expandTokens } from './ssh-tokens.js';
import type { Env } from './ssh-tokens.js';

// Reads an OpenSSH client configuration file the way ssh's readconf.c does: each line split into
// a keyword and its arguments (strdelim, argv_split: quotes, backslash escapes, `#` comments,
// `keyword=value`), Include directives read in place, and what ssh would refuse to start with
// (bad quotes, a bad Port or flag, a malformed Match, a file others may write) reported with its
// file and line. Which lines apply to a host is decided later (ssh-config.ts): every lookup walks
// the same parsed lines.

/** Where a line is, for messages: `~/.ssh/config line 12`. */
export interface LineAt {
  file: string;
  line: number;
}

export type MatchAttribute =
  'all' | 'canonical' | 'final' | 'host' | 'originalhost' | 'user' | 'localuser' | 'localnetwork' | 'version' | 'tagged' | 'command' | 'sessiontype' | 'exec';

export interface MatchCriterion {
  attribute: MatchAttribute;
  negate: boolean;
  /** Empty for all, canonical and final. */
  argument: string;
}

export type ConfigEntry =
  | { kind: 'host'; at: LineAt; patterns: string[] }
  | { kind: 'match'; at: LineAt; criteria: MatchCriterion[] }
  /** The files an Include matched, each already parsed; `unresolved` when its path has %-tokens, which depend on the host. */
  | { kind: 'include'; at: LineAt; files: ConfigEntry[][]; unresolved: string[] }
  /** `rest` is the line after the keyword, as ProxyCommand and ProxyJump take it (quotes and all). */
  | { kind: 'option'; at: LineAt; keyword: string; args: string[]; rest: string };

export interface SshConfig {
  /** The file it came from, for messages. */
  file: string;
  entries: ConfigEntry[];
}

/** An ssh_config that ssh would refuse to read; exit code 65 like an invalid inventory. */
export class SshConfigError extends FileIssuesError {
  override readonly name = 'SshConfigError';
  override readonly what = 'invalid ssh_config';
}

export interface SshConfigLoadContext {
  home: string;
  env: Env;
  /** ssh checks owner and mode of ~/.ssh/config and of every file it includes, but not of a file given with -F. */
  checkPermissions?: boolean;
  /** The uid that may own the files besides root; defaults to this process's. */
  uid?: number;
}

const MAX_DEPTH = 16;
const WHITESPACE = ' \t\r\n';

/** Reads `path` and everything it includes. Throws SshConfigError listing what ssh would refuse. */
export async function loadSshConfig(path: string, context: SshConfigLoadContext): Promise<SshConfig> {
  const issues: FileIssue[] = [];
  const entries = await readConfigFile(path, context, issues, 0, context.checkPermissions ?? false);
  if (entries === undefined) issues.unshift({ file: path, line: 0, column: 0, message: 'cannot read this ssh_config: no such file' });
  if (issues.length > 0) throw new SshConfigError(issues);
  return { file: path, entries: entries ?? [] };
}

/** Undefined when the file does not exist (which an Include skips silently, as ssh does). */
async function readConfigFile(
  path: string,
  context: SshConfigLoadContext,
  issues: FileIssue[],
  depth: number,
  checkPermissions: boolean,
): Promise<ConfigEntry[] | undefined> {
  let text: string;
  try {
    if (checkPermissions) {
      const info = await stat(path);
      const uid = context.uid ?? process.getuid?.() ?? 0;
      if ((info.uid !== 0 && info.uid !== uid) || (info.mode & 0o022) !== 0) {
        issues.push({
          file: path,
          line: 0,
          column: 0,
          message:
            'bad owner or permissions: ssh refuses a config file that someone else owns or may write (chmod go-w it), and so does fleetbench, which runs its ProxyCommands',
        });
        return [];
      }
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    issues.push({ file: path, line: 0, column: 0, message: `cannot read this ssh_config: ${code ?? String(error)}` });
    return [];
  }
  const entries: ConfigEntry[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const at = { file: path, line: index + 1 };
    const parsed = parseLine(lines[index] as string);
    if (parsed === undefined) continue;
    if ('problem' in parsed) {
      issues.push({ file: path, line: at.line, column: 0, message: parsed.problem });
      continue;
    }
    const entry = toEntry(parsed, at);
    if ('problem' in entry) {
      issues.push({ file: path, line: at.line, column: 0, message: entry.problem });
    } else if (entry.kind === 'include') {
      if (depth >= MAX_DEPTH) {
        issues.push({ file: path, line: at.line, column: 0, message: `too many nested Includes (ssh stops at ${MAX_DEPTH})` });
        continue;
      }
      for (const pattern of entry.unresolved.splice(0)) {
        const expanded = includePath(pattern, context);
        if (expanded === undefined) {
          entry.unresolved.push(pattern);
        } else if ('problem' in expanded) {
          issues.push({ file: path, line: at.line, column: 0, message: `Include ${pattern} ${expanded.problem}` });
        } else {
          for (const file of await globPath(expanded.value)) {
            const included = await readConfigFile(file, context, issues, depth + 1, true);
            if (included !== undefined) entry.files.push(included);
          }
        }
      }
      entries.push(entry);
    } else {
      entries.push(entry);
    }
  }
  return entries;
}

interface ParsedLine {
  keyword: string;
  args: string[];
  rest: string;
}

/** One line as readconf.c splits it; undefined for blank lines and comments. */
export function parseLine(raw: string): ParsedLine | { problem: string } | undefined {
  let line = raw;
  while (line.length > 0 && `${WHITESPACE}\f`.includes(line[line.length - 1] as string)) line = line.slice(0, -1);
  let cut = strdelim(line, 0);
  if (cut === undefined) return undefined;
  // A line that starts with whitespace yields an empty first token.
  if (cut.token === '' && cut.next !== undefined) cut = strdelim(line, cut.next);
  if (cut === undefined || cut.token === '' || cut.token.startsWith('#')) return undefined;
  const keyword = cut.token.toLowerCase();
  let start = cut.next ?? line.length;
  while (start < line.length && WHITESPACE.includes(line[start] as string)) start++;
  const rest = line.slice(start);
  if (rest === '') return { problem: `no argument after keyword "${keyword}"` };
  const args = argvSplit(rest);
  if (args === undefined) return { problem: 'invalid quotes' };
  return { keyword, args, rest };
}

/** misc.c strdelim: the next token, split at whitespace, a quote or one "="; undefined when a quote is not closed. */
function strdelim(text: string, from: number): { token: string; next: number | undefined } | undefined {
  let at = from;
  while (at < text.length && !`${WHITESPACE}"=`.includes(text[at] as string)) at++;
  if (at >= text.length) return { token: text.slice(from), next: undefined };
  if (text[at] === '"') {
    const close = text.indexOf('"', at + 1);
    if (close === -1) return undefined;
    let next = close + 1;
    while (next < text.length && WHITESPACE.includes(text[next] as string)) next++;
    return { token: text.slice(from, at) + text.slice(at + 1, close), next };
  }
  const sawEquals = text[at] === '=';
  let next = at + 1;
  while (next < text.length && WHITESPACE.includes(text[next] as string)) next++;
  if (!sawEquals && text[next] === '=') {
    next++;
    while (next < text.length && WHITESPACE.includes(text[next] as string)) next++;
  }
  return { token: text.slice(from, at), next };
}

/** misc.c argv_split (terminating at a `#` comment): undefined when a quote is not closed. */
function argvSplit(text: string): string[] | undefined {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '#') break;
    let quote = '';
    let arg = '';
    for (; i < text.length; i++) {
      const c = text[i] as string;
      const next = text[i + 1];
      if (c === '\\') {
        if (next === "'" || next === '"' || next === '\\' || (quote === '' && next === ' ')) {
          arg += next;
          i++;
        } else {
          arg += c;
        }
      } else if (quote === '' && (c === ' ' || c === '\t')) {
        break;
      } else if (quote === '' && (c === '"' || c === "'")) {
        quote = c;
      } else if (quote !== '' && c === quote) {
        quote = '';
      } else {
        arg += c;
      }
    }
    if (quote !== '') return undefined;
    args.push(arg);
  }
  return args;
}

const FLAGS = new Map([
  ['yes', true],
  ['true', true],
  ['no', false],
  ['false', false],
]);
const STRICT_HOST_KEY_CHECKING = ['yes', 'true', 'no', 'false', 'off', 'ask', 'accept-new'];
const CANONICALIZE = ['yes', 'true', 'no', 'false', 'always'];

/** Reads a flag (yes/no/true/false, any case) as readconf.c does. */
export function readFlag(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : FLAGS.get(value.toLowerCase());
}

function toEntry(parsed: ParsedLine, at: LineAt): ConfigEntry | { problem: string } {
  const { keyword, args, rest } = parsed;
  const first = args[0];
  switch (keyword) {
    case 'host':
      if (args.some((arg) => arg === '')) return { problem: 'Host has an empty pattern' };
      return { kind: 'host', at, patterns: args };
    case 'match': {
      const criteria = parseMatch(args);
      return 'problem' in criteria ? criteria : { kind: 'match', at, criteria };
    }
    case 'include':
      if (args.some((arg) => arg === '')) return { problem: 'Include has an empty path' };
      return { kind: 'include', at, files: [], unresolved: [...args] };
    case 'port':
      if (first === undefined || portNumber(first) === undefined) {
        return { problem: `bad port ${JSON.stringify(first ?? '')}: a whole number from 1 to 65535 (fleetbench does not look up service names)` };
      }
      break;
    case 'identitiesonly':
    case 'proxyusefdpass':
      if (readFlag(first) === undefined) return { problem: `${keyword} must be yes or no, got ${JSON.stringify(first ?? '')}` };
      break;
    case 'stricthostkeychecking':
      if (first === undefined || !STRICT_HOST_KEY_CHECKING.includes(first.toLowerCase())) {
        return { problem: `StrictHostKeyChecking must be one of ${STRICT_HOST_KEY_CHECKING.join(', ')}, got ${JSON.stringify(first ?? '')}` };
      }
      break;
    case 'canonicalizehostname':
      if (first === undefined || !CANONICALIZE.includes(first.toLowerCase())) {
        return { problem: `CanonicalizeHostname must be one of ${CANONICALIZE.join(', ')}, got ${JSON.stringify(first ?? '')}` };
      }
      break;
  }
  return { kind: 'option', at, keyword, args, rest };
}

/** a2port without getservbyname: 1 to 65535. */
export function portNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

const ATTRIBUTES_WITH_EQUALS = ['host', 'originalhost', 'user', 'localuser', 'localnetwork', 'version', 'tagged', 'command', 'exec'];
const ATTRIBUTES: readonly MatchAttribute[] = [
  'host',
  'originalhost',
  'user',
  'localuser',
  'localnetwork',
  'version',
  'tagged',
  'command',
  'sessiontype',
  'exec',
];

/** readconf.c match_cfg_line's syntax: the criteria in order, or why ssh would refuse the line. */
function parseMatch(args: string[]): MatchCriterion[] | { problem: string } {
  const criteria: MatchCriterion[] = [];
  let attributes = 0;
  for (let i = 0; i < args.length; i++) {
    const original = args[i] as string;
    const negate = original.startsWith('!');
    let attribute = (negate ? original.slice(1) : original).toLowerCase();
    if (attribute === 'all') {
      const next = args[i + 1];
      if (attributes > 1 || (next !== undefined && next !== '' && !next.startsWith('#'))) {
        return { problem: `Match: '${original}' cannot be combined with other Match attributes` };
      }
      criteria.push({ attribute: 'all', negate, argument: '' });
      return criteria;
    }
    attributes++;
    if (attribute === 'canonical' || attribute === 'final') {
      criteria.push({ attribute, negate, argument: '' });
      continue;
    }
    let argument: string | undefined;
    const equals = attribute.indexOf('=');
    if (equals !== -1 && ATTRIBUTES_WITH_EQUALS.includes(attribute.slice(0, equals))) {
      argument = (negate ? original.slice(1) : original).slice(equals + 1);
      attribute = attribute.slice(0, equals);
    } else {
      argument = args[++i];
      if (argument === undefined) return { problem: `Match: missing argument for '${original}'` };
    }
    if ((argument === '' && attribute !== 'tagged' && attribute !== 'command') || argument.startsWith('#')) {
      return { problem: `Match: missing criteria for ${attribute}` };
    }
    const known = ATTRIBUTES.find((name) => name === attribute);
    if (known === undefined) return { problem: `Match: unsupported attribute ${JSON.stringify(attribute)}` };
    if (known === 'localnetwork' && cidrList(argument) === undefined)
      return { problem: `Match localnetwork: ${JSON.stringify(argument)} is not a list of addresses/prefixes` };
    criteria.push({ attribute: known, negate, argument });
  }
  return criteria;
}

/** A Match localnetwork list (`192.168.0.0/16,fd00::/8`) as a BlockList, or undefined when malformed. */
export function cidrList(text: string): BlockList | undefined {
  const list = new BlockList();
  for (const item of text.split(',')) {
    const [address, bits, extra] = item.split('/');
    const family = address === undefined ? 0 : isIP(address);
    if (family === 0 || extra !== undefined) return undefined;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      list.addAddress(address as string, type);
    } else {
      const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
      if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) return undefined;
      list.addSubnet(address as string, prefix, type);
    }
  }
  return list;
}

/**
 * An Include path as ssh expands it when it does not depend on the host: `~`, `${VAR}`, and
 * relative to ~/.ssh. Undefined when it has %-tokens (resolved per host by ssh; not followed here).
 */
function includePath(pattern: string, context: SshConfigLoadContext): { value: string } | { problem: string } | undefined {
  if (pattern.includes('%')) return undefined;
  const expanded = expandTokens(pattern, {}, context.env);
  if ('problem' in expanded) return expanded;
  const tilde = expandTilde(expanded.value, context.home);
  if ('problem' in tilde) return tilde;
  return { value: isAbsolute(tilde.value) ? tilde.value : join(context.home, '.ssh', tilde.value) };
}

/** glob(3) on a path whose components may hold * and ?: the files that exist, sorted; a wildcard never matches a leading dot. */
async function globPath(path: string): Promise<string[]> {
  const parts = path.split('/').filter((part, index) => part !== '' || index === 0);
  let found = [parts[0] === '' ? '/' : (parts[0] as string)];
  for (const part of parts.slice(1)) {
    const next: string[] = [];
    for (const dir of found) {
      if (!/[*?]/.test(part)) {
        next.push(join(dir, part));
        continue;
      }
      try {
        const names = (await readdir(dir)).filter((name) => globMatch(name, part) && (!name.startsWith('.') || part.startsWith('.'))).sort();
        next.push(...names.map((name) => join(dir, name)));
      } catch {
        // Not a directory, or not readable: glob(3) matches nothing there.
      }
    }
    found = next;
  }
  const existing: string[] = [];
  for (const file of found) {
    try {
      if ((await stat(file)).isFile()) existing.push(file);
    } catch {
      // Gone or never there: nothing to include.
    }
  }
  return existing;
}
