import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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
// - The process list: read from /proc by an awk that reads NULs, from `ps -ef` by busybox's. Either
//   way what `ps` says of every process (parent, user, command line), and nothing an ordinary user
//   (nobody here) can bend: a command line with a line break that reads like another process's
//   line, a process whose comm says `x) Z 1 2` and a line break (a zombie: ps shows its comm), and
//   one with 150,000 one-byte arguments, whose line mawk would take seconds to join one by one.

const AWKS = [
  ['mawk', '/usr/bin/mawk'],
  ['gawk', '/usr/bin/gawk'],
  ["busybox's awk", '/usr/bin/busybox awk'],
] as const;

const missing = await missingPrerequisites(['/usr/bin/mawk', '/usr/bin/gawk', '/usr/bin/busybox', 'mount', 'setpriv', 'perl', 'ps']);
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

  const tenant: ChildProcess[] = [];
  /** Starts `program` as nobody with exactly this argv (argv[0] included), through perl's exec. */
  const asNobody = (program: string, argv: string[]) => {
    const exec = ['perl', '-e', '$p = shift; exec { $p } @ARGV or exit 127', program, ...argv];
    const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', ...exec], { stdio: 'ignore' });
    tenant.push(child);
    return child.pid!;
  };
  let forged = 0;
  let many = 0;
  let zombieParent = 0;

  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`FLEETBENCH_CI=1, but ${missing.join('; ')}`);
    mkdirSync(join(dir, 'bin'));
    copyFileSync('/bin/sleep', join(dir, 'bin', 'etcd'));
    etcd = spawn(join(dir, 'bin', 'etcd'), ['600'], { env: environment, stdio: 'ignore' });
    // Each is sh as nobody (`; :` keeps it beside its sleep); the third execs sleep, which never
    // reaps the subshell that renamed itself and left.
    forged = asNobody('/bin/sh', ['etcd\nroot 1 0 forged', '-c', 'sleep 600; :', 'tab\there', 'caf\u00e9', '', 'x']);
    many = asNobody('/bin/sh', ['sh', '-c', 'sleep 600; :', ...Array<string>(150_000).fill('y')]);
    zombieParent = asNobody('/bin/sh', ['sh', '-c', `(printf 'x) Z 1 2\\nroot' > /proc/self/comm; exit 0) & exec sleep 600`]);
    await new Promise((resolve) => setTimeout(resolve, 500));
  });
  afterAll(async () => {
    etcd?.kill('SIGKILL');
    // Each one's sleep first, then the shell (or, for the zombie's parent, the sleep it became).
    for (const child of tenant) {
      await runCommand('pkill', ['-KILL', '-P', String(child.pid)]);
      child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The probe (its script changed by `edit`) run as root with `awk` first on its PATH (a wrapper
   * script: `exec <awk> "$@"`, or `wrapper`), and what it printed.
   */
  const runProbe = async (awk: string, { edit = (script: string) => script, deadlineSeconds = 30, wrapper = `exec ${awk} "$@"` } = {}) => {
    const nonce = newNonce();
    const awkFile = '/usr/local/sbin/awk';
    const setup = `mount -t tmpfs tmpfs /usr/local/sbin && printf '#!/bin/sh\\n%s\\n' "$FB_WRAPPER" > ${awkFile} && chmod 755 ${awkFile} && exec sh -s root`;
    const run = await runCommand('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', setup], {
      input: edit(probeInside(probeScript({ nonce, deadlineSeconds }), dir)),
      env: { ...process.env, FB_WRAPPER: wrapper },
      timeoutMs: 30_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const stdout = Buffer.from(run.stdout, 'latin1');
    return { stdout: stdout.toString('latin1'), snapshot: parseProbeOutput(stdout, { target: 'local', nonce, collectedAt: '', user: 'root' }) };
  };
  const probeWith = async (awk: string, edit?: (script: string) => string) => (await runProbe(awk, { edit })).snapshot;

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

  /** What ps says of each process: parent, effective user, command line. */
  const listed = async () => {
    const ps = await runCommand('ps', ['-e', '-ww', '-o', 'pid=,ppid=,euser:64=,args='], { env: { ...process.env, LC_ALL: 'C' } });
    return new Map(
      ps.stdout
        .split('\n')
        .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s(.*)$/.exec(line))
        .filter((match) => match !== null)
        .map((match) => [Number(match[1]), { ppid: Number(match[2]), user: match[3]!, command: match[4]!.trim() }]),
    );
  };

  it.each(AWKS)('lists every process as ps does, and none a user can forge, with %s', async (name, awk) => {
    const before = await listed();
    const { stdout, snapshot } = await runProbe(awk, { deadlineSeconds: 5 });
    const after = await listed();
    expect(stdout).toContain(name === "busybox's awk" ? ':data ps ef\n' : ':data ps proc\n');
    // Every process that ps showed the same before and after: the same parent, user and command line
    // (but where either shows a character it could not print: ps shows a tab as ., the probe as ?).
    // Not the kernel's threads (a kworker's name says what it works on at the moment), nor the
    // ones below (ps shows at most 128 KiB of a command line).
    const steady = [...before].filter(
      ([pid, p]) => JSON.stringify(after.get(pid)) === JSON.stringify(p) && ![2, zombieParent].includes(p.ppid) && ![forged, many].includes(pid),
    );
    expect(steady.length).toBeGreaterThan(20);
    const seen = new Map(snapshot.processes.map((p) => [p.pid, p]));
    for (const [pid, p] of steady) {
      const got = seen.get(pid);
      // A line past a KiB is sent cut, with how much was left out.
      const cut = / \[fleetbench: (\d+) more bytes not sent\]$/.exec(got?.command ?? '');
      const kept = cut ? got!.command.slice(0, cut.index) : got?.command.trim();
      const length = cut ? kept!.length + Number(cut[1]) : kept?.length;
      const printable = !`${kept}${p.command}`.includes('?');
      // ps -ef shows at most 8 characters of a user's name, the eighth a +.
      const user = name === "busybox's awk" && p.user.length > 8 ? `${p.user.slice(0, 7)}+` : p.user;
      expect({ pid, ppid: got?.ppid, user: got?.user, command: printable ? kept : '', length }).toEqual({
        pid,
        ppid: p.ppid,
        user,
        command: printable ? p.command.slice(0, kept?.length) : '',
        length: p.command.length,
      });
    }

    const row = (pid: number) => snapshot.processes.filter((p) => p.pid === pid);
    expect(row(forged)).toHaveLength(1);
    expect(row(forged)[0]!.user).toBe('nobody');
    expect(row(forged)[0]!.command).toMatch(/^etcd.root 1 0 forged -c sleep 600; : tab.here caf\S+ {2}x$/);
    expect(snapshot.processes.filter((p) => p.pid === 1 && /forged/.test(p.command))).toEqual([]);
    const zombie = snapshot.processes.filter((p) => p.ppid === zombieParent);
    expect(zombie).toHaveLength(1);
    expect(zombie[0]!.command).toMatch(/^\[x\) Z 1 2.root\] <defunct>$/);
    const start = `nobody ${many} ${process.pid} `;
    const line = `${start}sh -c sleep 600; :${' y'.repeat(150_000)}`;
    expect(row(many)).toHaveLength(1);
    if (name !== "busybox's awk")
      expect(row(many)[0]!.command).toBe(`${line.slice(start.length, 1024)} [fleetbench: ${line.length - 1024} more bytes not sent]`);
    else expect(row(many)[0]!.command).toMatch(/^sh -c sleep 600; : y y .* \[fleetbench: \d+ more bytes not sent\]$/);
  });

  it('sends the process list once and whole when mawk stops at a read error', async () => {
    // mawk stops at a read error, as when a process ends between its file's open and read (under
    // load, one probe in five on a crowded bench host): the probe must not have sent part of the
    // list by then, or the list it falls back to would arrive inside that part. Here the list from
    // /proc ends with a directory whose stat is /proc/self/mem, which opens but cannot be read.
    mkdirSync(join(dir, 'gone'), { recursive: true });
    symlinkSync('/proc/self/mem', join(dir, 'gone', 'stat'));
    const wrapper = `case $V in proc) exec /usr/bin/mawk "$@" ${join(dir, 'gone')};; esac; exec /usr/bin/mawk "$@"`;
    const { stdout, snapshot } = await runProbe('/usr/bin/mawk', { wrapper });
    const lists = stdout.match(/^FB1:[0-9a-f]+:data ps [a-z]*$/gm) ?? [];
    expect(lists).toHaveLength(1);
    expect(lists[0]).toMatch(/:data ps ef$/);
    const pids = snapshot.processes.map((p) => p.pid);
    expect(new Set(pids).size).toBe(pids.length);
    expect(snapshot.processes.find((p) => p.pid === etcd!.pid)).toMatchObject({ trusted: true, argv: [join(dir, 'bin', 'etcd'), '600'] });
  });
});
