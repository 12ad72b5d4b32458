import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memberListFollowUp, readMemberList } from '../../src/collect/member-list.js';
import { finalRecord } from '../../src/collect/parse-output.js';
import { probeScript } from '../../src/collect/probe.js';

const nonce = 'a'.repeat(32);
const dir = mkdtempSync(join(tmpdir(), 'fleetbench-member-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The probe, then the follow-up, on one real sh's stdin, as the launcher's shell gets them. The
// `etcdctl` found is a script standing in for it: the test puts its directory first in PATH after
// the probe has set its own (or alone, for a host without etcdctl).
function converse(etcdctl: string | undefined): { probeEnd: number; output: Buffer } {
  const bin = join(dir, `bin-${Math.random().toString(16).slice(2)}`);
  execFileSync('mkdir', ['-p', bin]);
  if (etcdctl !== undefined) {
    writeFileSync(join(bin, 'etcdctl'), `#!/bin/sh\n${etcdctl}\n`);
    chmodSync(join(bin, 'etcdctl'), 0o755);
  }
  const followUp = memberListFollowUp({ endpoint: 'https://127.0.0.1:2379', cacert: '/etc/kubernetes/pki/etcd/ca.crt' })!;
  const script = `${probeScript(nonce)}PATH=${bin}${etcdctl === undefined ? '' : ':$PATH'}\n${followUp}`;
  const output = execFileSync('/bin/sh', ['-s', 'plain'], { input: script, maxBuffer: 64 << 20 });
  return { probeEnd: output.indexOf(finalRecord(nonce)) + finalRecord(nonce).length, output };
}

describe('the member list asked in the probe\'s own shell', () => {
  it('passes etcdctl its endpoint and certificates and reads its JSON after the probe\'s last record', () => {
    const { probeEnd, output } = converse(
      `printf '%s\\n' "$*" >&2; echo '{"members":[{"name":"cp1","peerURLs":["https://10.0.0.1:2380"]},{"name":"cp2","peerURLs":["https://10.0.0.2:2380"]}]}'`,
    );
    expect(probeEnd).toBeGreaterThan(finalRecord(nonce).length);
    expect(readMemberList(output.subarray(probeEnd), nonce)).toEqual({
      ok: true,
      members: [
        { name: 'cp1', peerUrls: ['https://10.0.0.1:2380'] },
        { name: 'cp2', peerUrls: ['https://10.0.0.2:2380'] },
      ],
    });
    expect(output.subarray(probeEnd).toString()).toContain(
      '--endpoints=https://127.0.0.1:2379 --dial-timeout=3s --command-timeout=5s --cacert=/etc/kubernetes/pki/etcd/ca.crt member list -w json',
    );
  });

  it('reports etcdctl\'s last line of stderr when it fails, and a missing etcdctl by name', () => {
    const failed = converse(`echo 'some warning' >&2; echo 'Error: context deadline exceeded' >&2; exit 1`);
    expect(readMemberList(failed.output.subarray(failed.probeEnd), nonce)).toEqual({ ok: false, members: [], error: 'Error: context deadline exceeded' });
    const missing = converse(undefined);
    expect(readMemberList(missing.output.subarray(missing.probeEnd), nonce)).toEqual({ ok: false, members: [], error: 'etcdctl is not installed on this host' });
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

  it('refuses endpoints and paths that are not plainly an endpoint and paths', () => {
    expect(memberListFollowUp({ endpoint: 'https://127.0.0.1:2379;reboot' })).toBeUndefined();
    expect(memberListFollowUp({ endpoint: 'https://127.0.0.1:2379', key: '/etc/$(reboot)' })).toBeUndefined();
  });
});
