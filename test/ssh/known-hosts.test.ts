import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/ssh/generate-key.js';
import {
  appendKnownHost,
  checkHostKey,
  describeKey,
  formatKnownHostsLine,
  hostKeyAlgorithmsFor,
  hostLookupName,
  knownKeyTypes,
  loadKnownHosts,
  parseKnownHosts,
} from '../../src/ssh/known-hosts.js';

// ssh2 is CommonJS: its named exports are not visible to Node's ESM loader.
const { utils } = ssh2;

function publicBlob(pair: { public: string }): Buffer {
  const parsed = utils.parseKey(pair.public);
  if (parsed instanceof Error) throw parsed;
  return parsed.getPublicSSH();
}

const ed25519 = publicBlob(generateKeyPair());
const ed25519Other = publicBlob(generateKeyPair());
const ecdsa = publicBlob(utils.generateKeyPairSync('ecdsa', { bits: 256 }));
const rsa = publicBlob(utils.generateKeyPairSync('rsa', { bits: 2048 }));
const ca = publicBlob(generateKeyPair());

function line(hosts: string, key: Buffer): string {
  return `${hosts} ${describeKey(key).type} ${key.toString('base64')}`;
}

function hashedName(name: string, salt: Buffer): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

// Generated once with `ssh-keygen -H` (OpenSSH 9.2) from plain lines for
// etcd-1.example.com (port 22) and [node-2.example.com]:2222, both with this key.
const FIXED_KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIDuREKQdt9fHfUzRlJEA6anECVC9kr4YUZEZB6x6f0Ry';
const FIXED_HASHED = [
  `|1|8Who93EhUUjgDpFu3AXy7Q+d9GM=|uaV2f1Mf8MNGvFV7RVdOuGILWCI= ssh-ed25519 ${FIXED_KEY}`,
  `|1|Y8Yb1FwMgWZsNb3I8hGj6DjNKkg=|sVFBHJAiS0fF8CWFmkmYcV7mCRU= ssh-ed25519 ${FIXED_KEY}`,
].join('\n');

describe('describeKey', () => {
  it('gives the type and the fingerprint ssh-keygen -l prints', () => {
    expect(describeKey(Buffer.from(FIXED_KEY, 'base64'))).toEqual({
      type: 'ssh-ed25519',
      fingerprint: 'SHA256:CnuF5kZZvEb0U4Yh1xpMI9vJnz+V4o1wvzLCwUBzPN0',
    });
  });

  it('reads the type of each generated key from the blob', () => {
    expect(describeKey(ecdsa).type).toBe('ecdsa-sha2-nistp256');
    expect(describeKey(rsa).type).toBe('ssh-rsa');
    expect(describeKey(Buffer.from([0, 0, 0, 3, 0x1b, 0x5b, 0x41])).type).toBe('unknown');
    expect(describeKey(Buffer.alloc(2)).type).toBe('unknown');
  });
});

describe('hostLookupName', () => {
  it('uses the bare host on port 22 and [host]:port elsewhere, lowercased', () => {
    expect(hostLookupName('Etcd-1.Example.COM', 22)).toBe('etcd-1.example.com');
    expect(hostLookupName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
    expect(hostLookupName('::1', 22)).toBe('::1');
    expect(hostLookupName('::1', 2200)).toBe('[::1]:2200');
  });
});

describe('checkHostKey', () => {
  it('matches a plain entry, case-insensitively, and reports its line', () => {
    const kh = parseKnownHosts(`# fleet\n\n${line('Etcd-1.example.com', ed25519)}\n`, 'kh');
    expect(checkHostKey(kh, 'etcd-1.example.com', 22, ed25519)).toEqual({ kind: 'match', file: 'kh', line: 3 });
    expect(checkHostKey(kh, 'ETCD-1.EXAMPLE.COM', 22, ed25519)).toEqual({ kind: 'match', file: 'kh', line: 3 });
    expect(checkHostKey(kh, 'etcd-2.example.com', 22, ed25519)).toEqual({ kind: 'unknown' });
  });

  it('matches every name of a comma list and nothing else', () => {
    const kh = parseKnownHosts(line('etcd-1,10.0.0.1,etcd-1.example.com', ed25519), 'kh');
    for (const host of ['etcd-1', '10.0.0.1', 'etcd-1.example.com']) {
      expect(checkHostKey(kh, host, 22, ed25519)).toEqual({ kind: 'match', file: 'kh', line: 1 });
    }
    expect(checkHostKey(kh, '10.0.0.11', 22, ed25519)).toEqual({ kind: 'unknown' });
    expect(checkHostKey(kh, 'etcd', 22, ed25519)).toEqual({ kind: 'unknown' });
  });

  it('keeps [host]:port entries apart from port 22', () => {
    const kh = parseKnownHosts([line('[etcd-1]:2222', ed25519), line('etcd-1', ecdsa)].join('\n'), 'kh');
    expect(checkHostKey(kh, 'etcd-1', 2222, ed25519)).toEqual({ kind: 'match', file: 'kh', line: 1 });
    expect(checkHostKey(kh, 'etcd-1', 22, ecdsa)).toEqual({ kind: 'match', file: 'kh', line: 2 });
    expect(checkHostKey(kh, 'etcd-1', 22, ed25519)).toEqual({
      kind: 'mismatch',
      knownTypes: ['ecdsa-sha2-nistp256'],
      file: 'kh',
      line: 2,
    });
    expect(checkHostKey(kh, 'etcd-1', 2200, ed25519)).toEqual({ kind: 'unknown' });
  });

  it('matches hashed entries for port 22 and other ports', () => {
    const salt1 = Buffer.alloc(20, 1);
    const salt2 = Buffer.alloc(20, 2);
    const kh = parseKnownHosts(
      [line(hashedName('etcd-1.example.com', salt1), ed25519), line(hashedName('[etcd-2.example.com]:2222', salt2), ecdsa)].join('\n'),
      'kh',
    );
    expect(kh.warnings).toEqual([]);
    expect(checkHostKey(kh, 'Etcd-1.example.com', 22, ed25519)).toEqual({ kind: 'match', file: 'kh', line: 1 });
    expect(checkHostKey(kh, 'etcd-1.example.com', 2222, ed25519)).toEqual({ kind: 'unknown' });
    expect(checkHostKey(kh, 'etcd-2.example.com', 2222, ecdsa)).toEqual({ kind: 'match', file: 'kh', line: 2 });
    expect(checkHostKey(kh, 'etcd-2.example.com', 22, ecdsa)).toEqual({ kind: 'unknown' });
    expect(checkHostKey(kh, 'etcd-2.example.com', 2222, ed25519)).toEqual({
      kind: 'mismatch',
      knownTypes: ['ecdsa-sha2-nistp256'],
      file: 'kh',
      line: 2,
    });
  });

  it('matches lines hashed by ssh-keygen -H', () => {
    const kh = parseKnownHosts(FIXED_HASHED, 'fixed');
    const key = Buffer.from(FIXED_KEY, 'base64');
    expect(kh.warnings).toEqual([]);
    expect(checkHostKey(kh, 'etcd-1.example.com', 22, key)).toEqual({ kind: 'match', file: 'fixed', line: 1 });
    expect(checkHostKey(kh, 'node-2.example.com', 2222, key)).toEqual({ kind: 'match', file: 'fixed', line: 2 });
    expect(checkHostKey(kh, 'node-2.example.com', 22, key)).toEqual({ kind: 'unknown' });
    expect(checkHostKey(kh, 'etcd-1.example.com', 22, ed25519)).toEqual({
      kind: 'mismatch',
      knownTypes: ['ssh-ed25519'],
      file: 'fixed',
      line: 1,
    });
  });

  it('applies wildcards and negation', () => {
    const kh = parseKnownHosts(
      [line('*.etcd.example.com,!bad.etcd.example.com', ed25519), line('node-?.example.com', ecdsa), line('[*.example.com]:2222', rsa)].join('\n'),
      'kh',
    );
    expect(checkHostKey(kh, 'a.etcd.example.com', 22, ed25519)).toEqual({ kind: 'match', file: 'kh', line: 1 });
    expect(checkHostKey(kh, 'bad.etcd.example.com', 22, ed25519)).toEqual({ kind: 'unknown' });
    expect(checkHostKey(kh, 'etcd.example.com', 22, ed25519)).toEqual({ kind: 'unknown' });
    expect(checkHostKey(kh, 'node-7.example.com', 22, ecdsa)).toEqual({ kind: 'match', file: 'kh', line: 2 });
    expect(checkHostKey(kh, 'node-17.example.com', 22, ecdsa)).toEqual({ kind: 'unknown' });
    expect(checkHostKey(kh, 'x.example.com', 2222, rsa)).toEqual({ kind: 'match', file: 'kh', line: 3 });
    expect(checkHostKey(kh, 'x.example.com', 22, rsa)).toEqual({ kind: 'unknown' });
  });

  it('lets a negated pattern exclude a host that a plain name on the same line lists', () => {
    const kh = parseKnownHosts(line('etcd-1,!etcd-1', ed25519), 'kh');
    expect(checkHostKey(kh, 'etcd-1', 22, ed25519)).toEqual({ kind: 'unknown' });
  });

  it('accepts any of several key types recorded for a host', () => {
    const kh = parseKnownHosts([line('etcd-1', ed25519), line('etcd-1', ecdsa), line('etcd-1', rsa)].join('\n'), 'kh');
    expect(checkHostKey(kh, 'etcd-1', 22, ed25519)).toEqual({ kind: 'match', file: 'kh', line: 1 });
    expect(checkHostKey(kh, 'etcd-1', 22, ecdsa)).toEqual({ kind: 'match', file: 'kh', line: 2 });
    expect(checkHostKey(kh, 'etcd-1', 22, rsa)).toEqual({ kind: 'match', file: 'kh', line: 3 });
    expect(checkHostKey(kh, 'etcd-1', 22, ed25519Other)).toEqual({
      kind: 'mismatch',
      knownTypes: ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ssh-rsa'],
      file: 'kh',
      line: 1,
    });
  });

  it('tells a changed key of the same type from a host known only by other types', () => {
    const kh = parseKnownHosts([line('etcd-0', ecdsa), line('etcd-1', ecdsa), line('etcd-1', ed25519)].join('\n'), 'kh');
    expect(checkHostKey(kh, 'etcd-1', 22, ed25519Other)).toEqual({
      kind: 'mismatch',
      knownTypes: ['ecdsa-sha2-nistp256', 'ssh-ed25519'],
      file: 'kh',
      line: 3,
    });
    const onlyOther = parseKnownHosts(line('etcd-1', ed25519), 'kh');
    const verdict = checkHostKey(onlyOther, 'etcd-1', 22, ecdsa);
    expect(verdict).toEqual({ kind: 'mismatch', knownTypes: ['ssh-ed25519'], file: 'kh', line: 1 });
    expect(verdict.kind === 'mismatch' && verdict.knownTypes.includes(describeKey(ecdsa).type)).toBe(false);
    expect(checkHostKey(onlyOther, 'etcd-2', 22, ecdsa)).toEqual({ kind: 'unknown' });
  });

  it('refuses a revoked key for every host, even one that lists it', () => {
    const kh = parseKnownHosts(
      [line('etcd-1', ed25519), line('etcd-1', ecdsa), `@revoked old-bastion ${describeKey(ed25519).type} ${ed25519.toString('base64')}`].join('\n'),
      'kh',
    );
    expect(checkHostKey(kh, 'etcd-1', 22, ed25519)).toEqual({ kind: 'revoked', file: 'kh', line: 3 });
    expect(checkHostKey(kh, 'somewhere-else', 2222, ed25519)).toEqual({ kind: 'revoked', file: 'kh', line: 3 });
    expect(checkHostKey(kh, 'etcd-1', 22, ecdsa)).toEqual({ kind: 'match', file: 'kh', line: 2 });
    expect(knownKeyTypes(kh, 'etcd-1', 22)).toEqual(['ecdsa-sha2-nistp256']);
  });

  it('reports a host covered only by @cert-authority lines', () => {
    const kh = parseKnownHosts([`@cert-authority *.etcd.example.com ${line('', ca).trim()}`, line('mixed.etcd.example.com', ecdsa)].join('\n'), 'kh');
    expect(kh.warnings).toEqual([]);
    expect(checkHostKey(kh, 'a.etcd.example.com', 22, ed25519)).toEqual({ kind: 'cert-authority-only' });
    expect(checkHostKey(kh, 'a.etcd.example.com', 22, ca)).toEqual({ kind: 'cert-authority-only' });
    expect(knownKeyTypes(kh, 'a.etcd.example.com', 22)).toEqual([]);
    expect(checkHostKey(kh, 'mixed.etcd.example.com', 22, ecdsa)).toEqual({ kind: 'match', file: 'kh', line: 2 });
    expect(checkHostKey(kh, 'mixed.etcd.example.com', 22, ed25519)).toEqual({
      kind: 'mismatch',
      knownTypes: ['ecdsa-sha2-nistp256'],
      file: 'kh',
      line: 2,
    });
    expect(checkHostKey(kh, 'etcd.example.org', 22, ed25519)).toEqual({ kind: 'unknown' });
  });

  it('reports the first matching line in file order across indexed and wildcard entries', () => {
    const kh = parseKnownHosts([line('etcd-*', ed25519), line('etcd-1', ed25519)].join('\n'), 'kh');
    expect(checkHostKey(kh, 'etcd-1', 22, ed25519)).toEqual({ kind: 'match', file: 'kh', line: 1 });
  });

  it('finds hosts in a large file through the index', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => line(`node-${i}.example.com,10.1.${i >> 8}.${i & 255}`, ecdsa));
    const kh = parseKnownHosts(lines.join('\n'), 'big');
    expect(kh.byName.size).toBe(10000);
    expect(kh.scanned).toEqual([]);
    expect(checkHostKey(kh, 'node-4999.example.com', 22, ecdsa)).toEqual({ kind: 'match', file: 'big', line: 5000 });
    expect(checkHostKey(kh, '10.1.19.135', 22, ecdsa)).toEqual({ kind: 'match', file: 'big', line: 5000 });
    expect(checkHostKey(kh, 'node-5000.example.com', 22, ecdsa)).toEqual({ kind: 'unknown' });
  });
});

describe('parseKnownHosts warnings', () => {
  it('skips malformed lines with their line numbers and keeps the good ones', () => {
    const good = ed25519.toString('base64');
    const text = [
      '# comment',
      '   ',
      `@bogus etcd-1 ssh-ed25519 ${good}`,
      'etcd-1 ssh-ed25519',
      'etcd-1 ssh-ed25519 not*base64!',
      `etcd-1 ecdsa-sha2-nistp256 ${good}`,
      `|1|c2FsdA==|aGFzaA== ssh-ed25519 ${good}`,
      `|2|abc|def ssh-ed25519 ${good}`,
      'etcd-1 2048 65537 12345678901234567890',
      `!etcd-1 ssh-ed25519 ${good}`,
      `etcd-1 ssh-ed25519 ${Buffer.from('garbage').toString('base64')}`,
      `\tetcd-1 ssh-ed25519 ${good} root@etcd-1 (rotated)\r`,
    ].join('\n');
    const kh = parseKnownHosts(text, 'kh');
    expect(kh.warnings).toEqual([
      { file: 'kh', line: 3, message: 'unknown marker "@bogus" (expected @cert-authority or @revoked)' },
      { file: 'kh', line: 4, message: 'expected: [marker] hosts key-type base64-key [comment]' },
      { file: 'kh', line: 5, message: 'key is not valid base64' },
      { file: 'kh', line: 6, message: 'key type field says ecdsa-sha2-nistp256 but the key is ssh-ed25519' },
      { file: 'kh', line: 7, message: 'malformed hashed host (salt and hash must be 20 bytes)' },
      { file: 'kh', line: 8, message: 'unsupported hashed host format (expected |1|salt|hash)' },
      { file: 'kh', line: 9, message: 'SSH protocol 1 RSA keys are not supported' },
      { file: 'kh', line: 10, message: 'host field has no host pattern that could match' },
      { file: 'kh', line: 11, message: 'key is not an SSH public key blob' },
    ]);
    expect(kh.entries).toHaveLength(1);
    expect(kh.entries[0]).toMatchObject({ line: 12, keyType: 'ssh-ed25519', comment: 'root@etcd-1 (rotated)' });
    expect(checkHostKey(kh, 'etcd-1', 22, ed25519)).toEqual({ kind: 'match', file: 'kh', line: 12 });
  });
});

describe('knownKeyTypes and hostKeyAlgorithmsFor', () => {
  it('lists the types recorded for the host in file order, without CA or revoked lines', () => {
    const kh = parseKnownHosts(
      [
        line('etcd-1', rsa),
        `@cert-authority etcd-* ${describeKey(ca).type} ${ca.toString('base64')}`,
        line('etcd-*', ed25519),
        line('etcd-1', ed25519Other),
        line('etcd-2', ecdsa),
      ].join('\n'),
      'kh',
    );
    expect(knownKeyTypes(kh, 'etcd-1', 22)).toEqual(['ssh-rsa', 'ssh-ed25519']);
    expect(knownKeyTypes(kh, 'etcd-2', 22)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
    expect(knownKeyTypes(kh, 'etcd-1', 2222)).toEqual([]);
  });

  it('puts the algorithms of the known types first, then ssh2 defaults', () => {
    expect(hostKeyAlgorithmsFor(['ssh-rsa'])).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
      'ecdsa-sha2-nistp384',
      'ecdsa-sha2-nistp521',
    ]);
    expect(hostKeyAlgorithmsFor(['ecdsa-sha2-nistp384', 'ssh-ed25519'])).toEqual([
      'ecdsa-sha2-nistp384',
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
      'ecdsa-sha2-nistp521',
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
    expect(hostKeyAlgorithmsFor([])).toEqual([
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
      'ecdsa-sha2-nistp384',
      'ecdsa-sha2-nistp521',
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
    expect(hostKeyAlgorithmsFor(['sk-ssh-ed25519@openssh.com', 'ssh-dss'])[0]).toBe('ssh-dss');
    expect(hostKeyAlgorithmsFor(['sk-ssh-ed25519@openssh.com'])).not.toContain('sk-ssh-ed25519@openssh.com');
  });
});

describe('formatKnownHostsLine', () => {
  it('writes a plain line by default, lowercased, bracketed for non-22 ports', () => {
    expect(formatKnownHostsLine('Etcd-1.Example.com', 22, ed25519)).toBe(`etcd-1.example.com ssh-ed25519 ${ed25519.toString('base64')}`);
    expect(formatKnownHostsLine('10.0.0.1', 2222, rsa)).toBe(`[10.0.0.1]:2222 ssh-rsa ${rsa.toString('base64')}`);
  });

  it('writes a |1| hashed line that matches only its host and port', () => {
    const text = formatKnownHostsLine('etcd-1', 2222, ecdsa, { hashed: true });
    expect(text).toMatch(/^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}= ecdsa-sha2-nistp256 /);
    expect(text).not.toContain('etcd-1');
    const kh = parseKnownHosts(text, 'kh');
    expect(checkHostKey(kh, 'etcd-1', 2222, ecdsa)).toEqual({ kind: 'match', file: 'kh', line: 1 });
    expect(checkHostKey(kh, 'etcd-1', 22, ecdsa)).toEqual({ kind: 'unknown' });
  });

  it('refuses host names that would corrupt known_hosts, and bad ports and keys', () => {
    for (const host of ['', 'etcd-1\nevil ssh-ed25519 AAAA', 'a,b', '*.example.com', '!etcd', '|1|x', '[etcd]:22', 'a b']) {
      expect(() => formatKnownHostsLine(host, 22, ed25519)).toThrow(/Refusing to write/);
    }
    expect(() => formatKnownHostsLine('etcd-1', 0, ed25519)).toThrow(/not a TCP port/);
    expect(() => formatKnownHostsLine('etcd-1', 22, Buffer.from('junk'))).toThrow(/not an SSH public key blob/);
  });
});

describe('files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetbench-kh-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads several files in order and notes a missing one', async () => {
    const user = join(dir, 'known_hosts');
    const global = join(dir, 'ssh_known_hosts');
    await writeFile(user, `${line('etcd-1', ed25519)}\nbroken line\n`);
    await writeFile(global, `# global\n${line('etcd-1', ecdsa)}\n`);
    const missing = join(dir, 'nope');
    const kh = await loadKnownHosts([user, missing, global]);
    expect(kh.warnings).toEqual([
      { file: user, line: 2, message: 'expected: [marker] hosts key-type base64-key [comment]' },
      { file: missing, line: 0, message: 'file not found' },
    ]);
    expect(checkHostKey(kh, 'etcd-1', 22, ed25519)).toEqual({ kind: 'match', file: user, line: 1 });
    expect(checkHostKey(kh, 'etcd-1', 22, ecdsa)).toEqual({ kind: 'match', file: global, line: 2 });
    expect(knownKeyTypes(kh, 'etcd-1', 22)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
  });

  it('notes a path it cannot read as a file', async () => {
    const kh = await loadKnownHosts([dir]);
    expect(kh.entries).toEqual([]);
    expect(kh.warnings).toHaveLength(1);
    expect(kh.warnings[0]).toMatchObject({ file: dir, line: 0 });
    expect(kh.warnings[0]?.message).toMatch(/^cannot read: .*EISDIR/);
  });

  it('appends to a new file with mode 0600 in a new 0700 directory, and reads it back', async () => {
    const path = join(dir, 'new', 'known_hosts');
    await appendKnownHost(path, 'etcd-1', 22, ed25519);
    await appendKnownHost(path, 'etcd-2', 2222, ecdsa, { hashed: true });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'new'))).mode & 0o777).toBe(0o700);
    const text = await readFile(path, 'utf8');
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`etcd-1 ssh-ed25519 ${ed25519.toString('base64')}`);
    expect(lines[1]).toMatch(/^\|1\|/);
    expect(lines[2]).toBe('');
    const kh = await loadKnownHosts([path]);
    expect(kh.warnings).toEqual([]);
    expect(checkHostKey(kh, 'etcd-1', 22, ed25519)).toEqual({ kind: 'match', file: path, line: 1 });
    expect(checkHostKey(kh, 'etcd-2', 2222, ecdsa)).toEqual({ kind: 'match', file: path, line: 2 });
  });

  it('starts a new line when the file lacks a final newline and keeps its mode', async () => {
    const path = join(dir, 'known_hosts');
    await writeFile(path, line('etcd-0', rsa), { mode: 0o644 });
    await appendKnownHost(path, 'etcd-1', 22, ed25519);
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    const kh = await loadKnownHosts([path]);
    expect(kh.warnings).toEqual([]);
    expect(checkHostKey(kh, 'etcd-0', 22, rsa)).toEqual({ kind: 'match', file: path, line: 1 });
    expect(checkHostKey(kh, 'etcd-1', 22, ed25519)).toEqual({ kind: 'match', file: path, line: 2 });
  });

  it.skipIf(!existsSync('/usr/bin/ssh-keygen'))('reads what ssh-keygen -H hashes and -F finds', async () => {
    const path = join(dir, 'known_hosts');
    await writeFile(path, [line('etcd-1.example.com', ed25519), line('[etcd-2.example.com]:2379', rsa)].join('\n') + '\n');
    execFileSync('/usr/bin/ssh-keygen', ['-H', '-f', path], { stdio: 'ignore' });
    const kh = await loadKnownHosts([path]);
    expect(kh.warnings).toEqual([]);
    expect(kh.entries.map((entry) => entry.hosts.kind)).toEqual(['hashed', 'hashed']);
    expect(checkHostKey(kh, 'etcd-1.example.com', 22, ed25519)).toEqual({ kind: 'match', file: path, line: 1 });
    expect(checkHostKey(kh, 'etcd-2.example.com', 2379, rsa)).toEqual({ kind: 'match', file: path, line: 2 });
    expect(checkHostKey(kh, 'etcd-2.example.com', 22, rsa)).toEqual({ kind: 'unknown' });

    const ours = join(dir, 'ours');
    await appendKnownHost(ours, 'etcd-3.example.com', 2222, ecdsa, { hashed: true });
    const found = execFileSync('/usr/bin/ssh-keygen', ['-F', '[etcd-3.example.com]:2222', '-f', ours], { encoding: 'utf8' });
    expect(found).toContain(`ecdsa-sha2-nistp256 ${ecdsa.toString('base64')}`);
  });
});
