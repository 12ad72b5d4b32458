import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberListQuery } from '../../src/collect/member-list.js';
import { memberListFollowUp, readMemberList } from '../../src/collect/member-list.js';
import { finalRecord } from '../../src/collect/parse-output.js';
import { probeScript } from '../../src/collect/probe.js';
import { probeInside } from '../support/local-probe.js';

const nonce = 'a'.repeat(32);
const dir = mkdtempSync(join(tmpdir(), 'fleetbench-member-list-'));
// A process standing in for etcd: it holds a listening socket at 127.0.0.1 (its port, once bound).
let listener: ChildProcess;
let port: number;
beforeAll(async () => {
  listener = spawn(process.execPath, ['-e', "const s = require('net').createServer(() => {}).listen(0, '127.0.0.1', () => console.log(s.address().port))"], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [chunk] = (await once(listener.stdout!, 'data')) as [Buffer];
  port = Number(chunk.toString().trim());
});
afterAll(() => {
  listener.kill();
  rmSync(dir, { recursive: true, force: true });
});

const query = (overrides: Partial<MemberListQuery> = {}): MemberListQuery => ({
  pid: listener.pid!,
  endpoint: `https://127.0.0.1:${port}`,
  port,
  // 127.0.0.1 as /proc/net/tcp prints it, and the IPv4 and IPv6 wildcards.
  listenAddresses: ['0100007F', '00000000', '0'.repeat(32)],
  cacert: '/etc/kubernetes/pki/etcd/ca.crt',
  cert: '/etc/kubernetes/pki/etcd/server.crt',
  key: '/etc/kubernetes/pki/etcd/server.key',
  ...overrides,
});

// The probe, then the follow-up, on one real sh's stdin, as the launcher's shell gets them (its
// host paths moved into the test's own directory: nothing of this machine's /etc or /var is read). The
// `etcdctl` found is a script standing in for it, which leaves a mark when it runs: the test puts
// its directory first in PATH after the probe has set its own (or alone, for a host without etcdctl).
function converse(etcdctl: string | undefined, asked: MemberListQuery = query()): { probeEnd: number; output: Buffer; ran: boolean } {
  const bin = join(dir, `bin-${Math.random().toString(16).slice(2)}`);
  const mark = join(bin, 'ran');
  execFileSync('mkdir', ['-p', bin]);
  if (etcdctl !== undefined) {
    writeFileSync(join(bin, 'etcdctl'), `#!/bin/sh\n: > ${mark}\n${etcdctl}\n`);
    chmodSync(join(bin, 'etcdctl'), 0o755);
  } else {
    // A host without etcdctl still has what the check before it uses.
    for (const tool of ['awk', 'ls'])
      symlinkSync(
        execFileSync('sh', ['-c', `command -v ${tool}`])
          .toString()
          .trim(),
        join(bin, tool),
      );
  }
  const followUp = memberListFollowUp(asked)!;
  const script = `${probeInside(probeScript({ nonce, deadlineSeconds: 30 }), dir)}PATH=${bin}${etcdctl === undefined ? '' : ':$PATH'}\n${followUp}`;
  const output = execFileSync('/bin/sh', ['-s', 'plain'], { input: script, maxBuffer: 64 << 20 });
  return { probeEnd: output.indexOf(finalRecord(nonce)) + finalRecord(nonce).length, output, ran: existsSync(mark) };
}

describe("the member list asked in the probe's own shell", () => {
  it("passes etcdctl etcd's endpoint and its own certificate, key and CA, and reads its JSON after the probe's last record", () => {
    const { probeEnd, output, ran } = converse(
      `printf '%s\\n' "$*" >&2; echo '{"members":[{"name":"cp1","peerURLs":["https://10.0.0.1:2380"]},{"name":"cp2","peerURLs":["https://10.0.0.2:2380"]}]}'`,
    );
    expect(ran).toBe(true);
    expect(probeEnd).toBeGreaterThan(finalRecord(nonce).length);
    expect(readMemberList(output.subarray(probeEnd), nonce)).toEqual({
      ok: true,
      members: [
        { name: 'cp1', peerUrls: ['https://10.0.0.1:2380'] },
        { name: 'cp2', peerUrls: ['https://10.0.0.2:2380'] },
      ],
    });
    expect(output.subarray(probeEnd).toString()).toContain(
      `--endpoints=https://127.0.0.1:${port} --dial-timeout=3s --command-timeout=5s --cacert=/etc/kubernetes/pki/etcd/ca.crt ` +
        '--cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key member list -w json',
    );
  });

  it('never runs etcdctl when the etcd process does not itself listen at the endpoint, or is gone', () => {
    // The socket is there, but held by another process than the one named: someone else's listener.
    const elsewhere = converse('echo {}', query({ pid: process.pid }));
    expect(elsewhere.ran).toBe(false);
    expect(readMemberList(elsewhere.output.subarray(elsewhere.probeEnd), nonce)).toEqual({
      ok: false,
      members: [],
      error: `etcd (pid ${process.pid}) does not itself listen at https://127.0.0.1:${port}`,
    });
    // The right process, another port.
    const otherPort = converse('echo {}', query({ port: port === 65535 ? 1 : port + 1 }));
    expect(otherPort.ran).toBe(false);
    const gone = converse('echo {}', query({ pid: 4_194_303 }));
    expect(gone.ran).toBe(false);
    expect(readMemberList(gone.output.subarray(gone.probeEnd), nonce).error).toBe('etcd (pid 4194303) is no longer running');
  });

  it("reports etcdctl's last line of stderr when it fails, and a missing etcdctl by name", () => {
    const failed = converse(`echo 'some warning' >&2; echo 'Error: context deadline exceeded' >&2; exit 1`);
    expect(readMemberList(failed.output.subarray(failed.probeEnd), nonce)).toEqual({ ok: false, members: [], error: 'Error: context deadline exceeded' });
    const missing = converse(undefined);
    expect(readMemberList(missing.output.subarray(missing.probeEnd), nonce)).toEqual({
      ok: false,
      members: [],
      error: 'etcdctl is not installed on this host',
    });
  });

  it('says so when the shell ended before the member list was answered, or printed no JSON', () => {
    expect(readMemberList(Buffer.from(`FB1:${nonce}:data members\n{"members":[`), nonce)).toEqual({
      ok: false,
      members: [],
      error: 'the host did not finish the member list query',
    });
    const notJson = `FB1:${nonce}:data members\nhello\nFB1:${nonce}:end\nFB1:${nonce}:members-status 0\n`;
    expect(readMemberList(Buffer.from(notJson), nonce)).toEqual({ ok: false, members: [], error: 'etcdctl printed something that is not JSON' });
  });

  it('refuses endpoints and paths that are not plainly an https endpoint and paths', () => {
    expect(memberListFollowUp(query({ endpoint: 'https://127.0.0.1:2379;reboot' }))).toBeUndefined();
    expect(memberListFollowUp(query({ endpoint: 'http://127.0.0.1:2379' }))).toBeUndefined();
    expect(memberListFollowUp(query({ key: '/etc/$(reboot)' }))).toBeUndefined();
    expect(memberListFollowUp(query({ listenAddresses: ["0100007F' '; reboot"] }))).toBeUndefined();
  });
});
