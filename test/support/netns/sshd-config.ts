// The sshd_config of a test host: real OpenSSH, listening only on the host's own addresses inside
// its own network namespace, authenticating the login user with the fleet's key only.

export interface SshdConfigInput {
  hostName: string;
  addresses: string[];
  port: number;
  /** Lines that must win over the defaults: sshd keeps the first value of a keyword, so they go first. */
  extra: string[];
}

// sshd refuses more than MAX_LISTEN_SOCKS (16) listening sockets. A host with more addresses listens
// on the wildcard instead: inside its own network namespace that is its addresses and nothing else.
const MAX_LISTEN_SOCKETS = 16;

/** What sshd listens on: each address, or the wildcard when there are too many for sshd. */
export function listenAddresses(addresses: string[]): string[] {
  return addresses.length > MAX_LISTEN_SOCKETS ? ['0.0.0.0'] : addresses;
}

export const HOST_KEY_PATH = '/etc/ssh/ssh_host_ed25519_key';
export const AUTHORIZED_KEYS_DIR = '/etc/ssh/authorized_keys';

export function sshdConfig(input: SshdConfigInput): string {
  return [
    `# sshd of fleetbench test host ${input.hostName}`,
    ...input.extra,
    ...listenAddresses(input.addresses).map((address) => `ListenAddress ${address}:${input.port}`),
    `HostKey ${HOST_KEY_PATH}`,
    // No PAM: the host has no PAM stack of its own to trust, and sshd's own account checks suffice.
    'UsePAM no',
    // sshd runs in the foreground (-D) under the host's init, which tracks it by pid.
    'PidFile none',
    `AuthorizedKeysFile ${AUTHORIZED_KEYS_DIR}/%u`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin no',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    '',
  ].join('\n');
}
