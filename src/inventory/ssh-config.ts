import { isIP } from 'node:net';
import { patternListMatch } from '../glob.js';
import type { JumpHop } from './jump-spec.js';
import { cidrList, portNumber, readFlag } from './ssh-config-file.js';
import type { ConfigEntry, LineAt, MatchCriterion, SshConfig } from './ssh-config-file.js';
import { expandTokens } from './ssh-tokens.js';
import type { Env } from './ssh-tokens.js';

// Which ssh_config lines apply to a host, and what they set, as readconf.c decides it: options
// given on ssh's command line are set first; lines apply in file order where the last Host or
// Match line before them matched; the first value obtained for a setting wins (IdentityFile
// accumulates); ProxyJump and ProxyCommand compete, whichever comes first; `Match final` (or
// CanonicalizeHostname) reads the file a second time with the host name HostName gave. Nothing is
// ever run here: `Match exec` is taken as failing, with a note. Values are returned as written;
// ssh-host.ts expands their tokens once everything is known.

/** What ssh knows about the machine it runs on, for Match and %-tokens. */
export interface SshLookupContext {
  home: string;
  localUser: string;
  env: Env;
  /** Relative paths (IdentityFile, UserKnownHostsFile, IdentityAgent) are taken from here, as ssh opens them. */
  cwd: string;
  /** The local host name (%l; %L is its first label). */
  localHost: string;
  /** The local uid (%i). */
  uid: number;
  /** Addresses of this machine's interfaces, for Match localnetwork. */
  localAddresses: string[];
}

/**
 * What fleetbench puts on "ssh's command line" for a host: these are set before the config is
 * read, so they win over it. `jump` is -J (which also rules out a ProxyCommand); `proxyCommand`
 * is -o ProxyCommand (`none` rules out the config's ProxyCommand and ProxyJump).
 */
export interface GivenOptions {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles?: string[];
  jump?: JumpHop[] | 'none';
  proxyCommand?: string;
}

/** A value and the line it came from (none when it was given). */
export interface Sourced<T> {
  value: T;
  at?: LineAt;
}

/** What ssh ends up with for a host, before token expansion. */
export interface SshOptions {
  hostName?: Sourced<string>;
  user?: Sourced<string>;
  port?: number;
  /** Given ones first, then the config's, in order; `none` entries count (they stop the defaults). */
  identityFiles: Sourced<string>[];
  userKnownHostsFiles?: Sourced<string[]>;
  strictHostKeyChecking?: string;
  hostKeyAlias?: string;
  identityAgent?: Sourced<string>;
  identitiesOnly?: boolean;
  /** JumpHop[] when given, the written spec when from the config, `none` when turned off. */
  jump?: Sourced<JumpHop[] | string> | 'none';
  /** `none` when turned off (by ProxyJump or given). */
  proxyCommand?: Sourced<string>;
  proxyUseFdpass?: boolean;
  /** Directives that applied but that fleetbench does not follow, with why. */
  notes: string[];
}

interface Pass {
  /** What Host lines match: the name as given, or in the final pass the host name. */
  host: string;
  final: boolean;
  /** Set by a `Match final` (or CanonicalizeHostname) in the first pass. */
  wantFinal: boolean;
}

/** ssh's options for `alias` (the name ssh is given) under `config`, with `given` set first. */
export function lookupSshOptions(config: SshConfig | undefined, alias: string, given: GivenOptions, context: SshLookupContext): SshOptions {
  const options = givenOptions(given);
  if (config === undefined) return options;
  const first: Pass = { host: alias, final: false, wantFinal: false };
  walk(config.entries, { options, alias, context, pass: first, neverMatch: false, active: { value: true } });
  if (first.wantFinal || (options.canonicalize !== undefined && options.canonicalize !== 'no')) {
    if (options.canonicalize !== undefined && options.canonicalize !== 'no') {
      options.notes.push('CanonicalizeHostname (host names are not canonicalised: the configuration is read again with the name as HostName gave it)');
    }
    const host = finalHostName(options, alias);
    if (host !== undefined) {
      // ssh.c sets HostName to the final name before the second pass, so later HostName lines do not apply.
      options.hostName = { value: host.replaceAll('%', '%%') };
      walk(config.entries, { options, alias, context, pass: { host, final: true, wantFinal: false }, neverMatch: false, active: { value: true } });
    }
  }
  delete options.canonicalize;
  delete options.tag;
  return options;
}

/** The host name ssh connects to: HostName with %h expanded, lower-cased unless it is an address. */
export function finalHostName(options: Pick<SshOptions, 'hostName'>, alias: string): string | undefined {
  const expanded = options.hostName === undefined ? { value: alias } : expandTokens(options.hostName.value, { h: alias });
  if ('problem' in expanded) return undefined;
  return isIP(expanded.value) === 0 ? expanded.value.toLowerCase() : expanded.value;
}

interface WorkingOptions extends SshOptions {
  canonicalize?: string;
  tag?: string;
}

function givenOptions(given: GivenOptions): WorkingOptions {
  const options: WorkingOptions = { identityFiles: (given.identityFiles ?? []).map((value) => ({ value })), notes: [] };
  if (given.hostName !== undefined) options.hostName = { value: given.hostName.replaceAll('%', '%%') };
  if (given.user !== undefined) options.user = { value: given.user };
  if (given.port !== undefined) options.port = given.port;
  if (given.jump === 'none') options.jump = 'none';
  else if (given.jump !== undefined) {
    options.jump = { value: given.jump };
    options.proxyCommand = { value: 'none' };
  }
  if (given.proxyCommand !== undefined) options.proxyCommand ??= { value: given.proxyCommand };
  return options;
}

interface Walk {
  options: WorkingOptions;
  alias: string;
  context: SshLookupContext;
  pass: Pass;
  /** Inside a file included while inactive: read for its Match final, nothing applies. */
  neverMatch: boolean;
  active: { value: boolean };
}

function walk(entries: ConfigEntry[], w: Walk): void {
  for (const entry of entries) {
    switch (entry.kind) {
      case 'host':
        w.active.value = !w.neverMatch && hostLineMatches(entry.patterns, w.pass.host);
        break;
      case 'match': {
        const matched = matchApplies(entry.criteria, entry.at, w);
        w.active.value = !w.neverMatch && matched;
        break;
      }
      case 'include': {
        const before = w.active.value;
        if (before && !w.neverMatch && entry.unresolved.length > 0) {
          w.options.notes.push(`Include ${entry.unresolved.join(' ')} at ${where(entry.at)} (not followed: its path has %-tokens)`);
        }
        for (const file of entry.files) {
          walk(file, { ...w, neverMatch: w.neverMatch || !before });
          // A Host or Match inside an included file does not change the including file's state.
          w.active.value = before;
        }
        break;
      }
      case 'option':
        if (w.active.value && !w.neverMatch) apply(w.options, entry.keyword, entry.args, entry.rest, entry.at);
        break;
    }
  }
}

/** Host lines: shell-style patterns, case-sensitive, against the name as given; a negated match rules the line out. */
function hostLineMatches(patterns: string[], host: string): boolean {
  return patternListMatch(
    host,
    patterns.map((p) => (p.startsWith('!') ? { pattern: p.slice(1), negated: true } : { pattern: p, negated: false })),
  );
}

/** match.c match_pattern_list: comma-separated patterns, `!` negates; Match host lower-cases the patterns. */
function patternList(value: string, list: string, lowerCasePatterns: boolean): boolean {
  return patternListMatch(
    value,
    list.split(',').map((raw) => {
      const p = lowerCasePatterns ? raw.toLowerCase() : raw;
      return p.startsWith('!') ? { pattern: p.slice(1), negated: true } : { pattern: p, negated: false };
    }),
  );
}

function matchApplies(criteria: MatchCriterion[], at: LineAt, w: Walk): boolean {
  const { options, context, pass } = w;
  const host = pass.final ? (finalHostName(options, w.alias) ?? w.alias) : hostForMatch(options, w.alias);
  const remoteUser = options.user?.value ?? context.localUser;
  let result = true;
  for (const { attribute, negate, argument } of criteria) {
    let matched: boolean;
    switch (attribute) {
      case 'all':
        return result && !negate;
      case 'canonical':
      case 'final':
        if (attribute === 'final' && !negate) pass.wantFinal = true;
        matched = pass.final;
        break;
      case 'host':
        matched = patternList(host, argument, true);
        break;
      case 'originalhost':
        matched = patternList(w.alias, argument, true);
        break;
      case 'user':
        matched = patternList(remoteUser, argument, false);
        break;
      case 'localuser':
        matched = patternList(context.localUser, argument, false);
        break;
      case 'localnetwork': {
        const list = cidrList(argument);
        matched = list !== undefined && context.localAddresses.some((address) => list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4'));
        break;
      }
      case 'tagged':
        matched = options.tag === undefined || options.tag === '' ? argument === '' : patternList(options.tag, argument, false);
        break;
      case 'sessiontype':
        // fleetbench runs a command on every host.
        matched = patternList('exec', argument, false);
        break;
      case 'exec':
        // ssh skips the command once an earlier criterion failed.
        if (!result) continue;
        if (!w.neverMatch) {
          w.options.notes.push(`Match exec ${argument} at ${where(at)} (never run: taken as failing, so exec does not match and !exec does)`);
        }
        matched = false;
        break;
      case 'version':
      case 'command':
        if (!w.neverMatch) w.options.notes.push(`Match ${attribute} ${argument} at ${where(at)} (not evaluated by fleetbench: taken as not matching)`);
        matched = false;
        break;
    }
    if (matched === negate) result = false;
  }
  return result;
}

/** readconf.c: Match host sees HostName (with %h expanded) once one is set, else the name as given. */
function hostForMatch(options: WorkingOptions, alias: string): string {
  if (options.hostName === undefined) return alias;
  const expanded = expandTokens(options.hostName.value, { h: alias });
  return 'value' in expanded ? expanded.value : alias;
}

function apply(options: WorkingOptions, keyword: string, args: string[], rest: string, at: LineAt): void {
  const first = args[0] ?? '';
  switch (keyword) {
    case 'hostname':
      options.hostName ??= { value: first, at };
      break;
    case 'user':
      options.user ??= { value: first, at };
      break;
    case 'port':
      options.port ??= portNumber(first);
      break;
    case 'identityfile':
      if (!options.identityFiles.some((file) => file.value === first)) options.identityFiles.push({ value: first, at });
      break;
    case 'userknownhostsfile':
      options.userKnownHostsFiles ??= { value: args, at };
      break;
    case 'stricthostkeychecking':
      options.strictHostKeyChecking ??= first.toLowerCase();
      break;
    case 'hostkeyalias':
      options.hostKeyAlias ??= first;
      break;
    case 'identityagent':
      options.identityAgent ??= { value: first, at };
      break;
    case 'identitiesonly':
      options.identitiesOnly ??= readFlag(first);
      break;
    case 'proxyusefdpass':
      options.proxyUseFdpass ??= readFlag(first);
      break;
    case 'canonicalizehostname':
      options.canonicalize ??= first.toLowerCase();
      break;
    case 'tag':
      options.tag ??= first;
      break;
    case 'proxycommand':
      options.proxyCommand ??= { value: rest.replace(/^[\s=]+/, ''), at };
      break;
    case 'proxyjump':
      applyProxyJump(options, rest, at);
      break;
    case 'knownhostscommand':
    case 'certificatefile':
    case 'pkcs11provider':
    case 'globalknownhostsfile':
      if (first.toLowerCase() !== 'none') options.notes.push(`${keyword} ${rest} at ${where(at)} (not supported by fleetbench)`);
      break;
  }
}

/** readconf.c parse_jump: `none` only stops later ProxyJumps; a jump applies only while neither it nor ProxyCommand is set, and rules ProxyCommand out. */
function applyProxyJump(options: WorkingOptions, rest: string, at: LineAt): void {
  const spec = rest
    .replace(/^[\s=]+/, '')
    .replace(/#.*$/s, '')
    .trimEnd();
  if (spec.toLowerCase() === 'none') {
    options.jump ??= 'none';
    return;
  }
  if (options.jump !== undefined || options.proxyCommand !== undefined) return;
  options.jump = { value: spec, at };
  options.proxyCommand = { value: 'none' };
}

export function where(at: LineAt): string {
  return `${at.file} line ${at.line}`;
}
