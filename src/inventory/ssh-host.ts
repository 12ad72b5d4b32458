import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { ProxyCommand } from '../model.js';
import { parseJumpChain } from './jump-spec.js';
import type { JumpHop } from './jump-spec.js';
import { finalHostName, where } from './ssh-config.js';
import type { SshLookupContext, SshOptions, Sourced } from './ssh-config.js';
import { expandPath, expandTilde, expandTokens } from './ssh-tokens.js';
import { hostProblem, userProblem } from './value-checks.js';

// A host's ssh options made final as ssh.c does once the configuration is read: the host name
// (HostName, %h expanded, lower-cased), the login user, and every %-token, ${VAR} and ~ in the
// values that take them, now that host, port, user and jump host are known. What cannot be used
// is a problem naming the line it came from.

export type SshProxy = { kind: 'jump'; hops: JumpHop[] } | { kind: 'command'; command: ProxyCommand };

/** Everything fleetbench needs to reach a host, as ssh would. */
export interface SshHost {
  hostName: string;
  user: string;
  port: number;
  identityFiles: string[];
  /** `IdentityFile none` and nothing else: no default identity files either. */
  noDefaultIdentityFiles: boolean;
  knownHostsFiles?: string[];
  acceptNewHostKey: boolean;
  hostKeyAlias?: string;
  /** A socket path, or `none`; absent: SSH_AUTH_SOCK. */
  identityAgent?: string;
  identitiesOnly: boolean;
  proxy?: SshProxy;
  notes: string[];
}

export type SshHostResult = { host: SshHost } | { problems: string[] } | { noUser: true };

const DEFAULT_PORT = 22;
const ACCEPT_NEW = new Set(['accept-new', 'no', 'off', 'false']);

/**
 * Finishes `options` for `alias`. `localUser` is who ssh logs in as when nothing names a user;
 * `{ noUser: true }` when that is needed and undefined (the reader says why, in its own terms).
 */
export function finishSshHost(options: SshOptions, alias: string, context: SshLookupContext, localUser: string | undefined): SshHostResult {
  const problems: string[] = [];
  const hostName = finalHostName(options, alias);
  if (options.hostName !== undefined) {
    const checked = hostName === undefined ? expandTokens(options.hostName.value, { h: alias }) : undefined;
    const problem = checked !== undefined && 'problem' in checked ? checked.problem : hostProblem(hostName ?? '');
    if (problem !== undefined) problems.push(`HostName ${JSON.stringify(hostName ?? options.hostName.value)}${from(options.hostName)} ${problem}`);
  }
  const host = hostName ?? alias;
  const port = options.port ?? DEFAULT_PORT;
  const hostKeyAlias = options.hostKeyAlias?.toLowerCase();
  const lastHop = jumpHostOf(options);
  const base = { host, alias, port, hostKeyAlias, jumpHost: lastHop };

  let user = options.user?.value ?? localUser;
  if (user === undefined) return { noUser: true };
  if (options.user?.at !== undefined) {
    // ssh 10.1 and later expand User from a config file, with every token but %r and %C.
    const expanded = expandTokens(user, clientTokens(context, base), context.env);
    if ('problem' in expanded) problems.push(`User ${JSON.stringify(user)}${from(options.user)} ${expanded.problem}`);
    else user = expanded.value;
  }
  if (options.user !== undefined) {
    const problem = userProblem(user);
    if (problem !== undefined) problems.push(`User ${JSON.stringify(user)}${from(options.user)} ${problem}`);
  }
  const tokens = { ...clientTokens(context, base), r: user, C: connectionHash(context.localHost, host, port, user, lastHop) };
  const paths = (values: Sourced<string>[]) =>
    values.flatMap((file) => {
      if (file.at === undefined) return [file.value];
      const expanded = expandPath(file.value, tokens, context);
      if ('value' in expanded) return [expanded.value];
      problems.push(`${JSON.stringify(file.value)}${from(file)} ${expanded.problem}`);
      return [];
    });

  const identityFiles = paths(options.identityFiles.filter((file) => file.value.toLowerCase() !== 'none'));
  const known = options.userKnownHostsFiles;
  const knownHostsFiles =
    known === undefined
      ? undefined
      : known.value.length === 1 && known.value[0]?.toLowerCase() === 'none'
        ? []
        : paths(known.value.map((value) => ({ value, at: known.at! })));
  const found: SshHost = {
    hostName: host,
    user,
    port,
    identityFiles,
    noDefaultIdentityFiles: options.identityFiles.length > 0 && identityFiles.length === 0,
    acceptNewHostKey: options.strictHostKeyChecking !== undefined && ACCEPT_NEW.has(options.strictHostKeyChecking),
    identitiesOnly: options.identitiesOnly ?? false,
    notes: [...options.notes],
  };
  if (knownHostsFiles !== undefined) found.knownHostsFiles = knownHostsFiles;
  if (hostKeyAlias !== undefined) found.hostKeyAlias = hostKeyAlias;
  const agent = identityAgent(options.identityAgent, tokens, context, problems);
  if (agent !== undefined) found.identityAgent = agent;
  const proxy = proxyOf(options, { h: host, k: hostKeyAlias ?? alias, n: alias, p: String(port), r: user }, context, problems);
  if (proxy !== undefined) found.proxy = proxy;
  if (proxy?.kind === 'command' && options.proxyUseFdpass) {
    found.notes.push('ProxyUseFdpass yes (not supported: the ProxyCommand itself carries the connection on its stdin and stdout)');
  }
  if (proxy?.kind === 'jump' && loops(proxy.hops, { host, port, user })) {
    problems.push(`ProxyJump ${hopText(proxy.hops)}${fromJump(options)} leads back to ${user}@${host}:${port} itself (ssh: "jumphost loop")`);
  }
  return problems.length > 0 ? { problems } : { host: found };
}

interface TokenBase {
  host: string;
  alias: string;
  port: number;
  hostKeyAlias: string | undefined;
  jumpHost: string;
}

/** ssh.c's DEFAULT_CLIENT_PERCENT_EXPAND_ARGS_NOUSER. */
function clientTokens(context: SshLookupContext, base: TokenBase): Record<string, string> {
  return {
    L: context.localHost.split('.')[0] ?? '',
    i: String(context.uid),
    k: base.hostKeyAlias ?? base.alias,
    l: context.localHost,
    n: base.alias,
    p: String(base.port),
    d: context.home,
    h: base.host,
    u: context.localUser,
    j: base.jumpHost,
  };
}

/** %C: SHA-1 of local host, host, port, user and jump host, in hex (readconf.c ssh_connection_hash). */
function connectionHash(localHost: string, host: string, port: number, user: string, jumpHost: string): string {
  return createHash('sha1').update(`${localHost}${host}${port}${user}${jumpHost}`).digest('hex');
}

/** %j: the host of the last ProxyJump hop, as ssh keeps it. */
function jumpHostOf(options: SshOptions): string {
  const jump = options.jump;
  if (jump === undefined) return '';
  if (jump === 'none') return 'none';
  if (Array.isArray(jump.value)) return jump.value.at(-1)?.host ?? '';
  const last = jump.value.split(',').at(-1) ?? '';
  const chain = parseJumpChain(last.trim());
  return 'hops' in chain ? (chain.hops[0]?.host ?? '') : '';
}

/** ssh.c: `SSH_AUTH_SOCK` means the variable, `$VAR` another variable (unset: no agent), `none` no agent, anything else a socket path. */
function identityAgent(agent: Sourced<string> | undefined, tokens: Record<string, string>, context: SshLookupContext, problems: string[]): string | undefined {
  if (agent === undefined || agent.value === 'SSH_AUTH_SOCK') return undefined;
  const tilde = expandTilde(agent.value, context.home);
  const expanded = 'problem' in tilde ? tilde : expandTokens(tilde.value, tokens, context.env);
  if ('problem' in expanded) {
    problems.push(`IdentityAgent ${JSON.stringify(agent.value)}${from(agent)} ${expanded.problem}`);
    return undefined;
  }
  const value = expanded.value;
  if (value === 'none') return 'none';
  if (value.startsWith('$') && value[1] !== '{') {
    const name = value.slice(1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      problems.push(`IdentityAgent ${JSON.stringify(agent.value)}${from(agent)} names an invalid environment variable`);
      return undefined;
    }
    const socket = context.env[name];
    return socket === undefined || socket === '' ? 'none' : socket;
  }
  return resolve(context.cwd, value);
}

function proxyOf(options: SshOptions, tokens: Record<string, string>, context: SshLookupContext, problems: string[]): SshProxy | undefined {
  const jump = options.jump;
  if (jump !== undefined && jump !== 'none') {
    if (Array.isArray(jump.value)) return { kind: 'jump', hops: jump.value };
    // ProxyJump takes the tokens of the ProxyCommand ssh builds from it.
    const expanded = expandTokens(jump.value, tokens);
    const chain = 'problem' in expanded ? expanded : parseJumpChain(expanded.value);
    if ('problem' in chain) {
      problems.push(`ProxyJump ${jump.value}${from(jump)}: ${chain.problem}`);
      return undefined;
    }
    return { kind: 'jump', hops: chain.hops };
  }
  const command = options.proxyCommand;
  if (command === undefined || command.value.toLowerCase() === 'none') return undefined;
  if (command.value === '-') {
    problems.push(`ProxyCommand -${from(command)} is not supported (it hands ssh its own stdin and stdout)`);
    return undefined;
  }
  const expanded = expandTokens(command.value, tokens);
  if ('problem' in expanded) {
    problems.push(`ProxyCommand ${command.value}${from(command)} ${expanded.problem}`);
    return undefined;
  }
  const shell = context.env.SHELL;
  return { kind: 'command', command: { command: expanded.value, shell: shell === undefined || shell === '' ? '/bin/sh' : shell } };
}

/** ssh.c's "jumphost loop": the last hop is the host itself, as the same user on the same port. */
function loops(hops: JumpHop[], target: { host: string; port: number; user: string }): boolean {
  const last = hops.at(-1);
  if (last === undefined) return false;
  return last.host === target.host && (last.port ?? DEFAULT_PORT) === target.port && (last.user ?? target.user) === target.user;
}

function hopText(hops: JumpHop[]): string {
  return hops.map((hop) => `${hop.user === undefined ? '' : `${hop.user}@`}${hop.host}${hop.port === undefined ? '' : `:${hop.port}`}`).join(',');
}

function from(value: { at?: { file: string; line: number } } | undefined): string {
  return value?.at === undefined ? '' : ` (${where(value.at)})`;
}

function fromJump(options: SshOptions): string {
  return options.jump === undefined || options.jump === 'none' ? '' : from(options.jump);
}
