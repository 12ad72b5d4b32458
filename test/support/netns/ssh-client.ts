import { hostAddresses } from './plan.js';
import type { CommandResult, NamespaceFleet, RunOptions } from './spec.js';

/**
 * OpenSSH client arguments for logging in to a fleet host as the fleet's user, with nothing taken
 * from the machine's own ssh configuration, keys or known hosts, and the host key checked. At its
 * main address, or at another of its addresses.
 */
export function sshArgs(fleet: NamespaceFleet, hostName: string, address?: string): string[] {
  const host = fleet.host(hostName);
  if (address !== undefined && !hostAddresses(host).includes(address)) throw new Error(`${address} is not an address of ${hostName}`);
  return [
    '-F',
    '/dev/null',
    '-i',
    fleet.keyFile,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `UserKnownHostsFile=${fleet.knownHostsFile}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-p',
    String(host.port),
    `${fleet.user}@${address ?? host.address}`,
  ];
}

/** Runs a command on a fleet host with the real OpenSSH client, from the fabric. */
export function runOverSsh(fleet: NamespaceFleet, hostName: string, remoteCommand: string, options: RunOptions = {}): Promise<CommandResult> {
  return fleet.runInFabric('ssh', [...sshArgs(fleet, hostName), remoteCommand], { timeoutMs: 15_000, ...options });
}
