import type { SudoPolicy } from './spec.js';

// The host's own /etc/sudoers (Debian 12's default), so that sudo behaves the same whatever the
// machine running the tests has, plus a drop-in for the login user that the host's policy asks for.

export const SUDOERS = [
  'Defaults\tenv_reset',
  'Defaults\tmail_badpass',
  'Defaults\tsecure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"',
  'Defaults\tuse_pty',
  'root\tALL=(ALL:ALL) ALL',
  '%sudo\tALL=(ALL:ALL) ALL',
  '@includedir /etc/sudoers.d',
  '',
].join('\n');

/** The drop-in for /etc/sudoers.d/<user>, or undefined when the user gets no sudo rights. */
export function sudoersDropIn(user: string, policy: SudoPolicy): string | undefined {
  if (policy === 'none') return undefined;
  if (policy === 'nopasswd') return `${user} ALL=(ALL:ALL) NOPASSWD: ALL\n`;
  return `${user} ALL=(ALL:ALL) ALL\n`;
}
