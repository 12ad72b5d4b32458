import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirstUseLedger } from '../../src/ssh/first-use.js';
import { generateKeyPair } from '../../src/ssh/generate-key.js';
import { checkHostKey, describeKey, parseKnownHosts } from '../../src/ssh/known-hosts.js';

// ssh2 is CommonJS: its named exports are not visible to Node's ESM loader.
const { utils } = ssh2;

function publicBlob(): Buffer {
  const parsed = utils.parseKey(generateKeyPair().public);
  if (parsed instanceof Error) throw parsed;
  return parsed.getPublicSSH();
}

describe('FirstUseLedger (trust on first use for one scan)', () => {
  let dir: string;
  let file: string;
  const said: string[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetbench-first-use-'));
    file = join(dir, 'known_hosts');
    said.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('records a new key once, however many connections meet it at once, and says so once', async () => {
    const key = publicBlob();
    const ledger = new FirstUseLedger((message) => said.push(message));
    const decisions = await Promise.all([1, 2, 3, 4].map(() => ledger.trust(file, '10.0.0.7', 2222, key)));
    expect(decisions).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: true }]);
    const text = await readFile(file, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(checkHostKey(parseKnownHosts(text, file), '10.0.0.7', 2222, key).kind).toBe('match');
    expect(said).toEqual([`[10.0.0.7]:2222 ssh-ed25519 key ${describeKey(key).fingerprint} added to ${file}`]);
  });

  it('refuses another key for the same name later in the scan, as a changed key, and records nothing more', async () => {
    const [first, second] = [publicBlob(), publicBlob()];
    const ledger = new FirstUseLedger((message) => said.push(message));
    expect(await ledger.trust(file, 'cp1', 22, first)).toEqual({ ok: true });
    const decision = await ledger.trust(file, 'cp1', 22, second);
    expect(decision).toEqual({
      ok: false,
      reason:
        `HOST KEY CHANGED during this scan: cp1 offered ssh-ed25519 key ${describeKey(second).fingerprint}, but an earlier connection to it in this scan ` +
        `offered ssh-ed25519 key ${describeKey(first).fingerprint}, which was trusted. This may be a man-in-the-middle; verify the host's key out of band`,
    });
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(1);
    expect(said).toHaveLength(1);
  });

  it('keeps names apart: the same key for two hosts is recorded for each', async () => {
    const key = publicBlob();
    const ledger = new FirstUseLedger((message) => said.push(message));
    await ledger.trust(file, 'cp1', 22, key);
    await ledger.trust(file, 'cp2', 22, key);
    await ledger.trust(file, 'cp1', 2222, key);
    expect(
      (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[0]),
    ).toEqual(['cp1', 'cp2', '[cp1]:2222']);
  });

  it('trusts for this scan only when there is no file to record in, and says so', async () => {
    const key = publicBlob();
    const ledger = new FirstUseLedger((message) => said.push(message));
    expect(await ledger.trust(undefined, 'cp1', 22, key)).toEqual({ ok: true });
    expect(said).toEqual([`cp1 ssh-ed25519 key ${describeKey(key).fingerprint} trusted for this scan (no known_hosts file to record it in)`]);
  });

  it('refuses the key when it cannot be recorded, saying where', async () => {
    await writeFile(join(dir, 'a-file'), '');
    const ledger = new FirstUseLedger((message) => said.push(message));
    const decision = await ledger.trust(join(dir, 'a-file', 'known_hosts'), 'cp1', 22, publicBlob());
    expect(decision).toMatchObject({
      ok: false,
      reason: expect.stringContaining(`could not record the host key of cp1 in ${join(dir, 'a-file', 'known_hosts')}: `) as string,
    });
    expect(said).toEqual([]);
  });
});
