import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';

// ssh2 is CommonJS: its named exports are not visible to Node's ESM loader.
const { utils } = ssh2;
import type { ParsedKey } from 'ssh2';

// Private keys are read and parsed once per scan and the parsed key is handed to every
// connection: ssh2 would otherwise re-parse (and for encrypted keys run bcrypt-pbkdf,
// synchronously) on every connect.

export interface LoadedKey {
  path: string;
  key: ParsedKey;
}

export interface KeyProblem {
  path: string;
  reason: string;
  /** The public key from `path.pub`, when there is one: the agent may hold the private key (IdentitiesOnly). */
  publicSSH?: Buffer;
}

export interface KeyRing {
  get(path: string): LoadedKey | KeyProblem;
}

const PASSPHRASE_ENV = 'FLEETBENCH_KEY_PASSPHRASE';

export async function loadKeys(paths: Iterable<string>, passphrase = process.env[PASSPHRASE_ENV]): Promise<KeyRing> {
  const loaded = new Map<string, LoadedKey | KeyProblem>();
  await Promise.all(
    [...new Set(paths)].map(async (path) => {
      loaded.set(path, await loadKey(path, passphrase));
    }),
  );
  return {
    get: (path) => loaded.get(path) ?? { path, reason: 'not loaded' },
  };
}

async function loadKey(path: string, passphrase: string | undefined): Promise<LoadedKey | KeyProblem> {
  const read = await readPrivateKey(path, passphrase);
  if (isLoaded(read)) return read;
  const publicSSH = await readPublicKey(`${path}.pub`);
  return publicSSH === undefined ? read : { ...read, publicSSH };
}

async function readPublicKey(path: string): Promise<Buffer | undefined> {
  try {
    const parsed = utils.parseKey(await readFile(path)) as ParsedKey | ParsedKey[] | Error;
    const key = parsed instanceof Error ? undefined : Array.isArray(parsed) ? parsed[0] : parsed;
    return key?.getPublicSSH();
  } catch {
    return undefined;
  }
}

async function readPrivateKey(path: string, passphrase: string | undefined): Promise<LoadedKey | KeyProblem> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { path, reason: code === 'ENOENT' ? 'there is no such file' : `cannot read it: ${code ?? String(error)}` };
  }
  // ssh2 returns a list when a file holds several keys, which its types do not say.
  const parsed = utils.parseKey(text, passphrase) as ParsedKey | ParsedKey[] | Error;
  if (parsed instanceof Error) {
    const encrypted = /encrypted|passphrase/i.test(parsed.message);
    return {
      path,
      reason: encrypted
        ? `it is encrypted and ${passphrase === undefined ? `no passphrase was given (set ${PASSPHRASE_ENV}, or load it into ssh-agent)` : 'the passphrase did not decrypt it'}`
        : `not a private key ssh2 can read (${parsed.message})`,
    };
  }
  const key: ParsedKey | undefined = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key?.isPrivateKey()) return { path, reason: 'not a private key' };
  return { path, key };
}

export function isLoaded(entry: LoadedKey | KeyProblem): entry is LoadedKey {
  return 'key' in entry;
}

/** The public key of an identity file, from the private key or its `.pub` file, in SSH wire format. */
export function publicKeyOf(entry: LoadedKey | KeyProblem): Buffer | undefined {
  return isLoaded(entry) ? entry.key.getPublicSSH() : entry.publicSSH;
}
