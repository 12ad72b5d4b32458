import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProbeOutput } from '../../src/collect/parse-output.js';
import { newNonce, probeScript } from '../../src/collect/probe.js';
import { probeInside } from '../support/local-probe.js';
import { runCommand } from '../support/netns/run-command.js';
import { missingPrerequisites } from '../support/netns/prerequisites.js';

// The probe as root on this machine, with each awk it meets on real hosts: mawk and gawk read
// /proc/PID/cmdline and environ themselves, busybox's cannot hold their NULs and leaves them to cat
// and tr. A process named etcd runs as root for the tests (root is whom the probe trusts), and the
// probe runs in a mount namespace of its own, where /usr/local/sbin (first on its PATH) holds the
// awk under test. Needs root; fails in CI without it.
//
// - A trusted etcd's environment with line breaks in values: etcd reads each variable whole
//   (os.Getenv), so no line of a value may pass for a variable of its own. A variable FOO whose
//   value reads "...\nETCD_CLIENT_CERT_AUTH=true" sets nothing for etcd, and neither may it for
//   fleetbench: that would be a PASS for a setting etcd does not have.
// - A process list past the probe's budget (PSMAX, lowered here): the lines of processes it does
//   not trust are held back and counted; a trusted process's line is always sent.

const AWKS = [
  ['mawk', '/usr/bin/mawk'],
  ['gawk', '/usr/bin/gawk'],
  ["busybox's awk", '/usr/bin/busybox awk'],
] as const;

const missing = await missingPrerequisites(['/usr/bin/mawk', '/usr/bin/gawk', '/usr/bin/busybox', 'mount']);
const mustRun = process.env.FLEETBENCH_CI === '1';
const skip = missing.length > 0 && !mustRun;

describe.skipIf(skip)('the probe as root on this machine, with each awk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetbench-probe-awks-'));
  let etcd: ChildProcess | undefined;
  const environment = {
    PATH: '/usr/bin:/bin',
    FOO: 'a\nETCD_CLIENT_CERT_AUTH=true',
    ETCD_NAME: 'm1\nETCD_AUTO_TLS=true\n',
    ETCD_CERT_FILE: join(dir, 'server.crt'),
  };

  beforeAll(() => {
    if (missing.length > 0) throw new Error(`FLEETBENCH_CI=1, but ${missing.join('; ')}`);
    mkdirSync(join(dir, 'bin'));
    copyFileSync('/bin/sleep', join(dir, 'bin', 'etcd'));
    etcd = spawn(join(dir, 'bin', 'etcd'), ['600'], { env: environment, stdio: 'ignore' });
  });
  afterAll(() => {
    etcd?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** The probe (its script changed by `edit`) run as root with `awk` first on its PATH. */
  const probeWith = async (awk: string, edit = (script: string) => script) => {
    const nonce = newNonce();
    const awkFile = '/usr/local/sbin/awk';
    const setup = `mount -t tmpfs tmpfs /usr/local/sbin && printf '#!/bin/sh\\nexec ${awk} "$@"\\n' > ${awkFile} && chmod 755 ${awkFile} && exec sh -s root`;
    const run = await runCommand('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', setup], {
      input: edit(probeInside(probeScript({ nonce, deadlineSeconds: 30 }), dir)),
      timeoutMs: 30_000,
    });
    expect(run.code, run.stderr).toBe(0);
    return parseProbeOutput(Buffer.from(run.stdout, 'latin1'), { target: 'local', nonce, collectedAt: '', user: 'root' });
  };

  it.each(AWKS)('sends each ETCD_* variable whole, line breaks and all, with %s', async (_name, awk) => {
    const snapshot = await probeWith(awk);
    expect(snapshot.processes.find((p) => p.pid === etcd!.pid)?.argv).toEqual([join(dir, 'bin', 'etcd'), '600']);
    expect(snapshot.environ[etcd!.pid!]).toEqual({ ETCD_NAME: environment.ETCD_NAME, ETCD_CERT_FILE: environment.ETCD_CERT_FILE });
  });

  it.each(AWKS)("holds back the lines past its budget but a trusted process's, and says so, with %s", async (_name, awk) => {
    const snapshot = await probeWith(awk, (script) => {
      if (!script.includes('\nPSMAX=4194304\n')) throw new Error('the probe no longer sets PSMAX=4194304');
      return script.replace('\nPSMAX=4194304\n', '\nPSMAX=300\n');
    });
    expect(snapshot.processes.find((p) => p.pid === etcd!.pid)).toMatchObject({ trusted: true, argv: [join(dir, 'bin', 'etcd'), '600'] });
    expect(snapshot.processes.length).toBeLessThan(6);
    expect(snapshot.problems.find((p) => p.subject === 'process list')?.reason).toMatch(
      /^\d+ lines of processes that are not audited were left out, past 300 bytes: /,
    );
  });
});
