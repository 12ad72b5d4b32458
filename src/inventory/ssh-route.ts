import { homedir, hostname, networkInterfaces } from 'node:os';
import type { Target } from '../model.js';
import type { InventoryOptions } from './inventory-options.js';
import type { JumpHop } from './jump-spec.js';
import { hopTarget } from './jump-targets.js';
import type { Route } from './jump-targets.js';
import { localUserFallback, localUserName } from './local-user.js';
import type { SshConfig } from './ssh-config-file.js';
import { lookupSshOptions } from './ssh-config.js';
import type { GivenOptions, SshLookupContext } from './ssh-config.js';
import { finishSshHost } from './ssh-host.js';

// How a host is reached, as ssh would reach it with what the inventory puts on its command line
// and what ssh_config says. A ProxyJump hop is a host of its own, looked up in ssh_config by the
// name written in the jump spec, exactly as the `ssh -W` that OpenSSH runs for it would: its own
// HostName, User, Port, IdentityFile, known_hosts... and, for the outermost hop, its own
// ProxyJump or ProxyCommand; the user and port in the spec win, and the hops before it are given
// to it as -J.

export interface RouteContext {
  config: SshConfig | undefined;
  lookup: SshLookupContext;
  /** Who ssh logs in as when nothing names a user; undefined when it cannot be found out. */
  localUser: string | undefined;
  /** The cluster of the target the hops lead to. */
  cluster: string;
  /** Native inventories: a hop that ssh_config gives no identity file logs in with the host's keys. */
  hopsUseHostKeys: boolean;
}

export interface RouteReport {
  /** Something that makes the host unusable; the reader says where. */
  problem(message: string): void;
  /** A directive fleetbench does not follow. */
  note(message: string): void;
  /** Nothing named a user for the host itself, and the local user name cannot stand in (`problem` says why). */
  noUser(problem: string): void;
}

/** Hops nested deeper than this are taken for a loop (ssh would start ssh after ssh). */
const MAX_HOPS = 10;

/** The route to `alias` (the name ssh would be given), or undefined when something is wrong (reported). */
export function resolveRoute(ctx: RouteContext, alias: string, given: GivenOptions, report: RouteReport): Route | undefined {
  return routeTo(ctx, alias, given, report, [], undefined);
}

function routeTo(
  ctx: RouteContext,
  alias: string,
  given: GivenOptions,
  report: RouteReport,
  through: string[],
  hostKeys: string[] | undefined,
): Route | undefined {
  const options = lookupSshOptions(ctx.config, alias, given, ctx.lookup);
  const found = finishSshHost(options, alias, ctx.lookup, localUserFallbackName(ctx.localUser));
  const file = ctx.config?.file ?? 'ssh_config';
  for (const note of 'host' in found ? found.host.notes : options.notes) report.note(`${file}: for ${alias}: ignored ${note}`);
  if ('noUser' in found) {
    const fallback = localUserFallback(ctx.localUser);
    report.noUser('problem' in fallback ? fallback.problem : 'no user');
    return undefined;
  }
  if ('problems' in found) {
    for (const problem of found.problems) report.problem(`${file} for ${alias}: ${problem}`);
    return undefined;
  }
  const { host } = found;
  const identityFiles = host.identityFiles.length > 0 || host.noDefaultIdentityFiles || hostKeys === undefined ? host.identityFiles : hostKeys;
  const route: Route = { address: host.hostName, port: host.port, user: host.user, identityFiles };
  if (host.knownHostsFiles !== undefined) route.knownHostsFiles = host.knownHostsFiles;
  if (host.acceptNewHostKey) route.acceptNewHostKey = true;
  if (host.hostKeyAlias !== undefined) route.hostKeyAlias = host.hostKeyAlias;
  if (host.identityAgent !== undefined) route.identityAgent = host.identityAgent;
  if (host.identitiesOnly) route.identitiesOnly = true;
  if (host.noDefaultIdentityFiles) route.noDefaultIdentityFiles = true;
  if (host.proxy?.kind === 'command') route.proxyCommand = host.proxy.command;
  if (host.proxy?.kind === 'jump') {
    const keys = hostKeys ?? (ctx.hopsUseHostKeys ? identityFiles : undefined);
    const jump = hopFor(ctx, host.proxy.hops, report, [...through, alias], keys);
    if (jump === undefined) return undefined;
    route.jump = jump;
  }
  return route;
}

/** The last hop of `hops` as a target: reached with -J the hops before it, as ssh's ProxyJump does. */
function hopFor(ctx: RouteContext, hops: JumpHop[], report: RouteReport, through: string[], hostKeys: string[] | undefined): Target | undefined {
  const hop = hops.at(-1)!;
  if (through.length >= MAX_HOPS) {
    report.problem(`jump hosts lead around in a loop: ${[...through, hop.host].join(' → ')}`);
    return undefined;
  }
  const given: GivenOptions = {};
  if (hop.user !== undefined) given.user = hop.user;
  if (hop.port !== undefined) given.port = hop.port;
  if (hops.length > 1) given.jump = hops.slice(0, -1);
  const hopReport: RouteReport = {
    ...report,
    noUser: (problem) =>
      report.problem(`jump host ${JSON.stringify(hop.host)} names no user, and ${problem}; write it as user@${hop.host} or give it a User in ssh_config`),
  };
  const route = routeTo(ctx, hop.host, given, hopReport, through, hostKeys);
  return route === undefined ? undefined : hopTarget(hop.host, route, ctx.cluster);
}

function localUserFallbackName(localUser: string | undefined): string | undefined {
  const fallback = localUserFallback(localUser);
  return 'user' in fallback ? fallback.user : undefined;
}

/** What ssh knows of this machine, from the reader's options where tests fix them. */
export function lookupContext(opts: InventoryOptions): SshLookupContext {
  return {
    home: opts.homeDir ?? homedir(),
    localUser: opts.localUser ?? localUserName() ?? '',
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    localHost: opts.machine?.localHost ?? hostname(),
    uid: opts.machine?.uid ?? process.getuid?.() ?? 0,
    localAddresses: opts.machine?.localAddresses ?? Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address)),
  };
}
