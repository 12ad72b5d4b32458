// The sshd_config of a test host: real OpenSSH, listening only on the host's own addresses inside
// its own network namespace, authenticating the login user with the fleet's key only.

export interface SshdConfigInput {
  hostName: string;
  addresses: string[];
  port: number;
  /** Lines that must win over the defaults: sshd keeps the first value of a keyword, so they go first. */
  extra: string[];
}

export const HOST_KEY_PATH = '/etc/ssh/ssh_host_ed25519_key';
export const AUTHORIZED_KEYS_DIR = '/etc/ssh/authorized_keys';

export function sshdConfig(input: SshdConfigInput): string {
  return [
    `# sshd of fleetbench test host ${input.hostName}`,
    ...input.extra,
    ...input.addresses.map((address) => `ListenAddress ${address}:${input.port}`),
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
