// OpenSSH known_hosts semantics for ssh2, which accepts every host key unless told otherwise.
// Parsing and lookup are pure; only loadKnownHosts and appendKnownHost touch the disk.

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { patternListMatch } from '../glob.js';

export interface KnownHostsWarning {
  file: string;
  /** 1-based line number; 0 when the warning is about the whole file. */
  line: number;
  message: string;
}

export type KnownHostMarker = 'cert-authority' | 'revoked';

export interface HostPattern {
  /** Lowercased, as OpenSSH compares host names case-insensitively. */
  pattern: string;
  negated: boolean;
}

export type HostField = { kind: 'patterns'; patterns: HostPattern[] } | { kind: 'hashed'; salt: Buffer; hash: Buffer };

export interface KnownHostEntry {
  file: string;
  line: number;
  marker?: KnownHostMarker;
  hosts: HostField;
  keyType: string;
  /** Public key blob in SSH wire format, as ssh2's hostVerifier receives it. */
  key: Buffer;
  comment: string;
}

export interface KnownHosts {
  readonly entries: readonly KnownHostEntry[];
  readonly warnings: readonly KnownHostsWarning[];
  /** Entries naming the host literally, by lowercased lookup name. */
  readonly byName: ReadonlyMap<string, readonly KnownHostEntry[]>;
  /** Hashed and wildcard entries: these are tested against every lookup. */
  readonly scanned: readonly KnownHostEntry[];
  /** `@revoked` entries by base64 key, whatever host they name. */
  readonly revoked: ReadonlyMap<string, KnownHostEntry>;
  /** Position of each entry across all files, to report the first matching line. */
  readonly order: ReadonlyMap<KnownHostEntry, number>;
}

export type HostKeyVerdict =
  | { kind: 'match'; file: string; line: number }
  | { kind: 'revoked'; file: string; line: number }
  | { kind: 'mismatch'; knownTypes: string[]; file: string; line: number }
  | { kind: 'unknown' }
  | { kind: 'cert-authority-only' };

const HASH_MAGIC = '|1|';
const SHA1_LENGTH = 20;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// Key types are printed in messages; anything else in that field is not a key type.
const KEY_TYPE = /^[A-Za-z0-9][A-Za-z0-9@._+-]{0,63}$/;
const DEFAULT_PORT = 22;

/** The name OpenSSH looks a host up by: `host` on port 22, `[host]:port` otherwise, lowercased. */
export function hostLookupName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === DEFAULT_PORT ? name : `[${name}]:${port}`;
}

/** The key type recorded inside a wire-format blob (its first SSH string), if it has a sane one. */
function blobKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) return undefined;
  const type = blob.toString('latin1', 4, 4 + length);
  return KEY_TYPE.test(type) ? type : undefined;
}

/** Key type and OpenSSH-style SHA256 fingerprint, for messages. */
export function describeKey(key: Buffer): { type: string; fingerprint: string } {
  const digest = createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
  return { type: blobKeyType(key) ?? 'unknown', fingerprint: `SHA256:${digest}` };
}

function parseHostField(field: string): HostField | string {
  if (field.startsWith('|')) {
    if (!field.startsWith(HASH_MAGIC)) return 'unsupported hashed host format (expected |1|salt|hash)';
    const [salt64, hash64, ...rest] = field.slice(HASH_MAGIC.length).split('|');
    if (salt64 === undefined || hash64 === undefined || rest.length > 0 || !BASE64.test(salt64) || !BASE64.test(hash64)) {
      return 'malformed hashed host (expected |1|base64 salt|base64 hash)';
    }
    const salt = Buffer.from(salt64, 'base64');
    const hash = Buffer.from(hash64, 'base64');
    if (salt.length !== SHA1_LENGTH || hash.length !== SHA1_LENGTH) {
      return `malformed hashed host (salt and hash must be ${SHA1_LENGTH} bytes)`;
    }
    return { kind: 'hashed', salt, hash };
  }
  const patterns: HostPattern[] = [];
  for (const raw of field.toLowerCase().split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (pattern !== '') patterns.push({ pattern, negated });
  }
  if (!patterns.some((p) => !p.negated)) return 'host field has no host pattern that could match';
  return { kind: 'patterns', patterns };
}

type ParsedLine = Omit<KnownHostEntry, 'file' | 'line'>;

/** Parses one non-blank, non-comment line; a string is the reason it was rejected. */
function parseLine(text: string): ParsedLine | string {
  const fields = text.split(/[ \t]+/);
  let marker: KnownHostMarker | undefined;
  if (fields[0]?.startsWith('@')) {
    const word = fields.shift();
    if (word === '@cert-authority') marker = 'cert-authority';
    else if (word === '@revoked') marker = 'revoked';
    else return `unknown marker ${JSON.stringify(word)} (expected @cert-authority or @revoked)`;
  }
  const [hostText, keyType, key64, ...comment] = fields;
  if (hostText === undefined || keyType === undefined || key64 === undefined) {
    return 'expected: [marker] hosts key-type base64-key [comment]';
  }
  if (/^\d+$/.test(keyType)) return 'SSH protocol 1 RSA keys are not supported';
  if (!KEY_TYPE.test(keyType)) return 'invalid key type';
  const hosts = parseHostField(hostText);
  if (typeof hosts === 'string') return hosts;
  if (!BASE64.test(key64) || key64.length % 4 !== 0) return 'key is not valid base64';
  const key = Buffer.from(key64, 'base64');
  const embedded = blobKeyType(key);
  if (embedded === undefined) return 'key is not an SSH public key blob';
  if (embedded !== keyType) return `key type field says ${keyType} but the key is ${embedded}`;
  return { marker, hosts, keyType, key, comment: comment.join(' ') };
}

function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

function buildKnownHosts(entries: KnownHostEntry[], warnings: KnownHostsWarning[]): KnownHosts {
  const byName = new Map<string, KnownHostEntry[]>();
  const scanned: KnownHostEntry[] = [];
  const revoked = new Map<string, KnownHostEntry>();
  const order = new Map<KnownHostEntry, number>();
  for (const entry of entries) {
    order.set(entry, order.size);
    if (entry.marker === 'revoked') {
      const id = entry.key.toString('base64');
      if (!revoked.has(id)) revoked.set(id, entry);
      continue;
    }
    const { hosts } = entry;
    if (hosts.kind === 'hashed' || hosts.patterns.some((p) => !p.negated && hasWildcard(p.pattern))) {
      scanned.push(entry);
      continue;
    }
    for (const { pattern, negated } of hosts.patterns) {
      if (negated) continue;
      const list = byName.get(pattern);
      if (list === undefined) byName.set(pattern, [entry]);
      else if (list.at(-1) !== entry) list.push(entry);
    }
  }
  return { entries, warnings, byName, scanned, revoked, order };
}

/** Parses known_hosts text. Malformed lines are skipped and reported in `warnings`. */
export function parseKnownHosts(text: string, file: string): KnownHosts {
  const { entries, warnings } = parseEntries(text, file);
  return buildKnownHosts(entries, warnings);
}

function parseEntries(text: string, file: string): { entries: KnownHostEntry[]; warnings: KnownHostsWarning[] } {
  const entries: KnownHostEntry[] = [];
  const warnings: KnownHostsWarning[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const parsed = parseLine(content);
    if (typeof parsed === 'string') warnings.push({ file, line, message: parsed });
    else entries.push({ file, line, ...parsed });
  });
  return { entries, warnings };
}

/**
 * Reads several known_hosts files, in order. A missing or unreadable file contributes no
 * entries and a warning: the lookup then fails closed as `unknown`.
 */
export async function loadKnownHosts(paths: string[]): Promise<KnownHosts> {
  const entries: KnownHostEntry[] = [];
  const warnings: KnownHostsWarning[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const message = code === 'ENOENT' ? 'file not found' : `cannot read: ${(error as Error).message}`;
      warnings.push({ file: path, line: 0, message });
      continue;
    }
    const parsed = parseEntries(text, path);
    entries.push(...parsed.entries);
    warnings.push(...parsed.warnings);
  }
  return buildKnownHosts(entries, warnings);
}

function hostFieldMatches(hosts: HostField, name: string): boolean {
  if (hosts.kind === 'hashed') {
    const digest = createHmac('sha1', hosts.salt).update(name).digest();
    return timingSafeEqual(digest, hosts.hash);
  }
  return patternListMatch(name, hosts.patterns);
}

// Every lookup tries each hashed line's HMAC against the name, and a connection asks twice
// (which key types to prefer, then whether the key matches): remember the answer per name.
const lookups = new WeakMap<KnownHosts, Map<string, KnownHostEntry[]>>();

/** Non-revoked entries for the host (plain keys and CA keys), in file order. */
function entriesFor(kh: KnownHosts, host: string, port: number): KnownHostEntry[] {
  const name = hostLookupName(host, port);
  let cache = lookups.get(kh);
  if (!cache) lookups.set(kh, (cache = new Map<string, KnownHostEntry[]>()));
  const known = cache.get(name);
  if (known) return known;
  const candidates = [...(kh.byName.get(name) ?? []), ...kh.scanned];
  const matching = candidates.filter((entry) => hostFieldMatches(entry.hosts, name));
  // Indexed and scanned entries interleave in the files; report the first line, as OpenSSH does.
  matching.sort((a, b) => (kh.order.get(a) ?? 0) - (kh.order.get(b) ?? 0));
  cache.set(name, matching);
  return matching;
}

function isRevoked(kh: KnownHosts, key: Buffer): KnownHostEntry | undefined {
  return kh.revoked.get(key.toString('base64'));
}

/**
 * Verdict for the key a server presented. A key listed under `@revoked` is refused for every
 * host, whatever pattern that line names: a compromised key is not trusted anywhere.
 */
export function checkHostKey(kh: KnownHosts, host: string, port: number, key: Buffer): HostKeyVerdict {
  const revoked = isRevoked(kh, key);
  if (revoked !== undefined) return { kind: 'revoked', file: revoked.file, line: revoked.line };

  const matching = entriesFor(kh, host, port);
  const plain = matching.filter((entry) => entry.marker === undefined);
  const same = plain.find((entry) => entry.key.equals(key));
  if (same !== undefined) return { kind: 'match', file: same.file, line: same.line };

  const [first] = plain;
  if (first !== undefined) {
    const presentedType = blobKeyType(key);
    const blame = plain.find((entry) => entry.keyType === presentedType) ?? first;
    const knownTypes = [...new Set(plain.map((entry) => entry.keyType))];
    return { kind: 'mismatch', knownTypes, file: blame.file, line: blame.line };
  }
  if (matching.some((entry) => entry.marker === 'cert-authority')) return { kind: 'cert-authority-only' };
  return { kind: 'unknown' };
}

/** Key types known_hosts holds for the host (no CA keys, no revoked keys), in file order. */
export function knownKeyTypes(kh: KnownHosts, host: string, port: number): string[] {
  const types = entriesFor(kh, host, port)
    .filter((entry) => entry.marker === undefined && isRevoked(kh, entry.key) === undefined)
    .map((entry) => entry.keyType);
  return [...new Set(types)];
}

// ssh2 1.x's default host key algorithms in its order, and what each key type may be signed with.
const SSH2_DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];
const ALGORITHMS_BY_KEY_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};

/**
 * ssh2 `algorithms.serverHostKey` list that makes the server present a key type known_hosts
 * already holds: algorithms for the known types first, then ssh2's defaults. Key types ssh2
 * cannot negotiate (security keys, certificates) are left out.
 */
export function hostKeyAlgorithmsFor(types: string[]): string[] {
  const preferred = types.flatMap((type) => ALGORITHMS_BY_KEY_TYPE[type] ?? []);
  return [...new Set([...preferred, ...SSH2_DEFAULT_HOST_KEY_ALGORITHMS])];
}

// Characters that would change what a known_hosts line means, or add another line.
const UNSAFE_HOST = /[\s,*?[\]#|!@\\]|[\u0000-\u001f\u007f]/;

/** One known_hosts line (no newline) recording `key` for the host. Throws on a host name that would corrupt the file. */
export function formatKnownHostsLine(host: string, port: number, key: Buffer, opts: { hashed?: boolean } = {}): string {
  if (host === '' || UNSAFE_HOST.test(host)) {
    throw new Error(`Refusing to write ${JSON.stringify(host)} to known_hosts: not a plain host name or address.`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`Refusing to write port ${port} to known_hosts: not a TCP port.`);
  }
  const type = blobKeyType(key);
  if (type === undefined) throw new Error('Refusing to write to known_hosts: the host key is not an SSH public key blob.');
  const name = hostLookupName(host, port);
  let hostField = name;
  if (opts.hashed === true) {
    const salt = randomBytes(SHA1_LENGTH);
    const hash = createHmac('sha1', salt).update(name).digest();
    hostField = `${HASH_MAGIC}${salt.toString('base64')}|${hash.toString('base64')}`;
  }
  return `${hostField} ${type} ${key.toString('base64')}`;
}

/**
 * Appends the host's key to a known_hosts file, for explicit trust-on-first-use. Creates the
 * file with mode 0600 and its directory with mode 0700 when missing; existing modes are kept.
 */
export async function appendKnownHost(path: string, host: string, port: number, key: Buffer, opts: { hashed?: boolean } = {}): Promise<void> {
  const line = formatKnownHostsLine(host, port, key, opts);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const handle = await open(path, 'a+', 0o600);
  try {
    const { size } = await handle.stat();
    let separator = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) separator = '\n';
    }
    await handle.appendFile(`${separator}${line}\n`);
  } finally {
    await handle.close();
  }
}
