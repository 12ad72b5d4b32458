import type { NamespaceFleet } from '../../test/support/netns/spec.js';

/**
 * OpenSSH client options every ssh-based contender uses, bar who logs in: the host key checked
 * against the fleet's known_hosts, nothing from the machine's ssh configuration, only the given
 * key, never a prompt. The key exchange is left to each contender.
 */
export function sshCommonOptions(fleet: NamespaceFleet): string[] {
  return [
    '-F',
    '/dev/null',
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
  ];
}

/** The common options, and the fleet's user and key. */
export function sshOptions(fleet: NamespaceFleet): string[] {
  return ['-l', fleet.user, '-i', fleet.keyFile, ...sshCommonOptions(fleet)];
}
