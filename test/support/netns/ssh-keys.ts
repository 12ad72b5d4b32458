import { readFile } from 'node:fs/promises';
import { runChecked } from './run-command.js';

/** Makes an ed25519 key pair with ssh-keygen (no passphrase); returns the public key line. */
export async function generateKeyPair(privateKeyPath: string, comment: string): Promise<string> {
  await runChecked('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', privateKeyPath]);
  return (await readFile(`${privateKeyPath}.pub`, 'utf8')).trim();
}

/** known_hosts lines for one host key at each address (`[address]:port` unless the port is 22). */
export function knownHostsLines(addresses: string[], port: number, publicKey: string): string[] {
  const [type, key] = publicKey.split(' ');
  return addresses.map((address) => `${port === 22 ? address : `[${address}]:${port}`} ${type} ${key}`);
}
