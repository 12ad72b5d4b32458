import { parseJumpChain } from './jump-spec.js';
import type { Settings } from './settings.js';
import type { SshConfig, SshConfigContext } from './ssh-config.js';
import { hostProblem, isPort, userProblem } from './value-checks.js';

// What ssh_config says about a host, checked and turned into inventory settings. Every reader
// puts them beneath what its inventory says, as ssh puts its config beneath its command line.

export interface SshConfigSettings extends Settings {
  /** Where ssh connects to for this name (HostName). */
  hostName?: string;
  knownHostsFiles?: string[];
  acceptNewHostKey?: boolean;
}

export interface SshConfigReport {
  /** A value in the config that cannot be used: the inventory is then in error. */
  issue(message: string): void;
  /** A directive fleetbench does not follow. */
  warn(message: string): void;
}

/** ssh_config's settings for `alias`, the name ssh would be given to connect to. */
export function sshConfigSettings(config: SshConfig, alias: string, context: SshConfigContext, report: SshConfigReport): SshConfigSettings {
  const found = config.lookup(alias, context);
  for (const note of found.ignored) report.warn(`${config.file}: for ${alias}: ignored ${note}`);
  const settings: SshConfigSettings = {};
  const where = `${config.file} for ${alias}`;
  if (found.hostName !== undefined) {
    const problem = hostProblem(found.hostName);
    if (problem) report.issue(`HostName ${JSON.stringify(found.hostName)} in ${where} ${problem}`);
    else settings.hostName = found.hostName;
  }
  if (found.user !== undefined) {
    const problem = userProblem(found.user);
    if (problem) report.issue(`User ${JSON.stringify(found.user)} in ${where} ${problem}`);
    else settings.user = found.user;
  }
  if (found.port !== undefined && isPort(found.port)) settings.port = found.port;
  if (found.identityFiles.length > 0) settings.identityFiles = found.identityFiles;
  if (found.proxyJump !== undefined) {
    const chain = parseJumpChain(found.proxyJump);
    if ('hops' in chain) settings.jump = chain.hops;
    else report.issue(`ProxyJump in ${where}: ${chain.problem}`);
  }
  if (found.userKnownHostsFiles) settings.knownHostsFiles = found.userKnownHostsFiles;
  if (found.strictHostKeyChecking === 'accept-new' || found.strictHostKeyChecking === 'no' || found.strictHostKeyChecking === 'off') {
    // Even "no" only trusts new keys here: a changed key is always refused.
    settings.acceptNewHostKey = true;
  }
  return settings;
}
