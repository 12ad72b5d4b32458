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

// What the probe sends of a trusted etcd's environment when a value holds a line break: etcd reads
// each variable whole (os.Getenv), so no line of a value may pass for a variable of its own. A
// variable FOO whose value reads "…\nETCD_CLIENT_CERT_AUTH=true" sets nothing for etcd, and neither
// may it for fleetbench: that would be a PASS for a setting etcd does not have. Each awk the probe
// meets on real hosts is tried: mawk and gawk read the environment themselves, busybox's cannot hold
// its NULs and leaves it to tr. A process named etcd runs as root on this machine for the test (root
// is whom the probe trusts), and the probe runs as root in a mount namespace of its own, where
// /usr/local/sbin (first on its PATH) holds the awk under test. Needs root; fails in CI without it.

const AWKS = [
  ['mawk', '/usr/bin/mawk'],
  ['gawk', '/usr/bin/gawk'],
  ["busybox's awk", '/usr/bin/busybox awk'],
] as const;

const missing = await missingPrerequisites(['/usr/bin/mawk', '/usr/bin/gawk', '/usr/bin/busybox', 'mount']);
const mustRun = process.env.FLEETBENCH_CI === '1';
const skip = missing.length > 0 && !mustRun;

describe.skipIf(skip)("the probe and a trusted etcd's environment", () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetbench-probe-environ-'));
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

  it.each(AWKS)('sends each ETCD_* variable whole, line breaks and all, with %s', async (_name, awk) => {
    const nonce = newNonce();
    const awkFile = '/usr/local/sbin/awk';
    const setup = `mount -t tmpfs tmpfs /usr/local/sbin && printf '#!/bin/sh\\nexec ${awk} "$@"\\n' > ${awkFile} && chmod 755 ${awkFile} && exec sh -s root`;
    const run = await runCommand('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', setup], {
      input: probeInside(probeScript({ nonce, deadlineSeconds: 30 }), dir),
      timeoutMs: 30_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const snapshot = parseProbeOutput(Buffer.from(run.stdout, 'latin1'), { target: 'local', nonce, collectedAt: '', user: 'root' });
    expect(snapshot.processes.find((p) => p.pid === etcd!.pid)?.argv).toEqual([join(dir, 'bin', 'etcd'), '600']);
    expect(snapshot.environ[etcd!.pid!]).toEqual({ ETCD_NAME: environment.ETCD_NAME, ETCD_CERT_FILE: environment.ETCD_CERT_FILE });
  });
});
