import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileFollowUp, requestOfFollowUp } from '../../src/collect/file-follow-up.js';
import { finalRecord, readRecords } from '../../src/collect/parse-output.js';
import { probeScript } from '../../src/collect/probe.js';
import { ALWAYS_EXAMINED } from '../../src/collect/host-paths.js';
import { probeInside } from '../support/local-probe.js';

const nonce = 'b'.repeat(32);
const dir = mkdtempSync(join(tmpdir(), 'fleetbench-follow-up-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fileFollowUp', () => {
  it('writes each path as one single-quoted word, and the in-process fleet reads back the same request', () => {
    const request = { read: ["/opt/it's/config"], stat: ['/opt/k3s'], pick: [{ dir: '/opt/k3s/agent/pod-manifests', names: ['*etcd*', '*apiserver*'] }] };
    const text = fileFollowUp(request)!;
    expect(text).toBe(
      `{ L='R /opt/it'\\''s/config\nS /opt/k3s'; pick '/opt/k3s/agent/pod-manifests' '*etcd*' '*apiserver*'; FB_I=0; while [ -n "$L" ] && [ $FB_I -lt 4 ]; do round; FB_I=$((FB_I + 1)); done; r files-done; } </dev/null\n`,
    );
    expect(requestOfFollowUp(`${text}etcdctl member list`)).toEqual({ request, length: text.length });
  });

  it('asks nothing it cannot write safely: a path with a control character, a relative path, a pattern of a host', () => {
    expect(fileFollowUp({ read: ['/etc/a\nR /etc/shadow', 'relative'], stat: [], pick: [{ dir: '/x', names: ['$(id)'] }] })).toBeUndefined();
  });
});

// The probe and then the follow-up on one real sh's stdin, as the launcher's shell gets them.
// Its fixed paths point into a temporary directory (test/support/local-probe.ts), so nothing of
// this machine's /etc or /var is read.
describe("the follow-up in the probe's own shell", () => {
  const converse = (followUp: string) => {
    const output = execFileSync('/bin/sh', ['-s', 'plain'], {
      input: `${probeInside(probeScript({ nonce, deadlineSeconds: 30 }), dir)}${followUp}`,
      maxBuffer: 64 << 20,
    });
    const probeEnd = output.indexOf(finalRecord(nonce)) + finalRecord(nonce).length;
    return readRecords(output.subarray(probeEnd), nonce, 'files-done');
  };

  it("reports each asked path through the probe's own checks, ends with files-done, and never reports a path twice", () => {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'config'), 'name: a\n');
    const inside = `${dir}${ALWAYS_EXAMINED[0]!}`;
    const { records, complete } = converse(fileFollowUp({ read: [join(dir, 'data', 'config'), join(dir, 'nothing-here')], stat: [inside], pick: [] })!);
    expect(complete).toBe(true);
    // Under a directory everyone may write (the system's temporary directory), nothing is followed.
    expect(records).toContainEqual(expect.objectContaining({ kind: 'untrusted', args: join(dir, 'data', 'config') }));
    expect(records.filter((r) => r.kind === 'stat' || r.kind === 'file')).toEqual([]);
    // The probe reported its fixed paths already: asked again, they are not reported twice.
    expect(records.some((r) => r.args.includes(inside) || r.payload?.toString().includes(inside))).toBe(false);
  });
});
