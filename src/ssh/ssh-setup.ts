import { withHops } from '../inventory/jump-targets.js';
import type { Target } from '../model.js';
import type { SshOptions } from './connect.js';
import type { FirstUse } from './first-use.js';
import { knownHostsKey, policyFor } from './host-keys.js';
import type { HostKeySettings } from './host-keys.js';
import { isLoaded, loadKeys } from './keys.js';
import { loadKnownHosts } from './known-hosts.js';
import type { KnownHosts } from './known-hosts.js';

/**
 * What a scan's SSH connections are made from, as plain data: the scan sets its connections up
 * from it, and so does each worker thread for its share of the hosts.
 */
export interface SshSetup {
  /** Identity files for targets that name none (-k, or OpenSSH's defaults that exist). */
  identityFiles: string[];
  knownHostsFiles: string[];
  acceptNewHostKeys: boolean;
  insecureAcceptAnyHostKey: boolean;
  connectTimeoutMs: number;
  /** The ssh-agent socket (SSH_AUTH_SOCK), if any. */
  agent?: string;
}

/**
 * Loads the keys and known_hosts files `targets` (and their jump hosts) need. `log` hears what a
 * person should know (unusable identity files, odd known_hosts lines, host keys not verified);
 * worker threads, which set up the same again, pass none, so that it is said once.
 */
export async function prepareSsh(
  setup: SshSetup,
  targets: readonly Target[],
  firstUse: FirstUse,
  log: (message: string) => void = () => {},
): Promise<SshOptions> {
  const hostKeys = await hostKeySettings(setup, targets, firstUse, log);
  // Jump hosts may name keys of their own (a kubespray bastion's ansible_ssh_private_key_file).
  const keyFiles = new Set([...setup.identityFiles, ...targets.flatMap(withHops).flatMap((t) => t.identityFiles)]);
  const keys = await loadKeys(keyFiles);
  for (const path of keyFiles) {
    const entry = keys.get(path);
    if (!isLoaded(entry)) log(`identity file ${path} will not be used: ${entry.reason}`);
  }
  return {
    hostKeys: (target: Target) => policyFor(hostKeys, target),
    keys,
    defaultIdentityFiles: setup.identityFiles,
    connectTimeoutMs: setup.connectTimeoutMs,
    ...(setup.agent ? { agent: setup.agent } : {}),
  };
}

async function hostKeySettings(setup: SshSetup, targets: readonly Target[], firstUse: FirstUse, log: (message: string) => void): Promise<HostKeySettings> {
  if (setup.insecureAcceptAnyHostKey) {
    log('WARNING: --insecure-accept-any-host-key: host keys are NOT verified; anyone on the path can impersonate these hosts and feed this scan false results');
  }
  const load = async (files: string[]) => {
    const knownHosts = await loadKnownHosts(files);
    for (const warning of knownHosts.warnings.filter((w) => w.line > 0)) log(`${warning.file}:${warning.line}: ${warning.message}`);
    return knownHosts;
  };
  // Hosts (and jump hosts) whose ssh_config names their own known_hosts files.
  const perTarget = new Map<string, KnownHosts>();
  for (const target of targets.flatMap(withHops)) {
    if (target.knownHostsFiles && !perTarget.has(knownHostsKey(target.knownHostsFiles))) {
      perTarget.set(knownHostsKey(target.knownHostsFiles), await load(target.knownHostsFiles));
    }
  }
  return {
    insecureAcceptAny: setup.insecureAcceptAnyHostKey,
    acceptNew: setup.acceptNewHostKeys,
    files: setup.knownHostsFiles,
    knownHosts: await load(setup.knownHostsFiles),
    perTarget,
    firstUse,
  };
}
