import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './contenders/contender.js';
import { fleetbench } from './contenders/fleetbench.js';
import { summarizeProfile } from './cpu-profile.js';
import type { TimeShare } from './cpu-profile.js';
import type { PhaseReport, SocketMode, Step } from './host-phases.js';
import { measure } from './measure.js';
import { formatTable } from './table.js';
import type { Accounting } from './timed-run.js';

// Where fleetbench's time goes: what each phase of one host costs (wall time on the client, CPU
// on the host), one host at a time so that nothing competes; and where the client's own CPU goes
// in a whole scan, from a V8 CPU profile.

const PHASE_SCRIPT = fileURLToPath(new URL('./host-phases.js', import.meta.url));
const PHASE_HOSTS = 20;
/**
 * Hosts at once in the profiled scan: few enough that the hosts leave the client a core. The
 * profiler samples wall-clock time on the main thread, so a thread waiting for a core inside a
 * system call (a socket write, say) would otherwise be counted as working there.
 */
const PROFILE_CONCURRENCY = 4;

const STEPS: [Step, SocketMode, string][] = [
  ['session', 'nodelay', "log in, run 'true'"],
  ['command', 'nodelay', "the contenders' sudo ps + cat"],
  ['probe', 'nodelay', "fleetbench's launcher + probe"],
  ['full', 'nodelay', 'probe, then etcdctl member list'],
  ['full', 'nagle', 'the same without TCP_NODELAY'],
];

async function timePhase(context: BenchContext, step: Step, socket: SocketMode, hosts: string[]): Promise<PhaseReport> {
  const run = await context.fleet.runInFabric(
    process.execPath,
    [PHASE_SCRIPT, step, socket, context.fleet.keyFile, context.fleet.knownHostsFile, context.fleet.user, ...hosts],
    {
      env: context.env,
      timeoutMs: 120_000,
    },
  );
  if (run.code !== 0) throw new Error(`host-phases ${step} ${socket} failed: ${run.stderr.trim().slice(-500)}`);
  return JSON.parse(run.stdout) as PhaseReport;
}

async function phases(context: BenchContext, addresses: string[], accounting: Accounting): Promise<string> {
  const hosts = addresses.slice(0, PHASE_HOSTS);
  // Untimed: the first connections of a process pay for loading code.
  await timePhase(context, 'session', 'nodelay', hosts.slice(0, 3));
  const rows: string[][] = [];
  for (const [step, socket, what] of STEPS) {
    const before = await accounting.hosts?.usage();
    const report = await timePhase(context, step, socket, hosts);
    const after = await accounting.hosts?.usage();
    const hostCpu = before && after ? (((after.cpuSeconds - before.cpuSeconds) / hosts.length) * 1000).toFixed(0) : 'n/a';
    const ms = (value: number) => (value === 0 ? '-' : value.toFixed(1));
    rows.push([what, ms(report.connectMs), ms(report.commandMs), ms(report.parseMs), ms(report.memberListMs), (report.outputBytes / 1024).toFixed(1), hostCpu]);
  }
  return [
    `One host at a time (${hosts.length} hosts, medians; ssh2 as fleetbench uses it, curve25519, with TCP_NODELAY`,
    "but in the last row: ssh2 leaves Nagle's algorithm on, and each exchange that waits for a delayed ACK loses ~40 ms):",
    formatTable(
      [
        { header: 'what' },
        { header: 'connect ms', align: 'right' },
        { header: 'command ms', align: 'right' },
        { header: 'parse ms', align: 'right' },
        { header: 'member list ms', align: 'right' },
        { header: 'output KiB', align: 'right' },
        { header: 'hosts CPU ms/host', align: 'right' },
      ],
      rows,
    ),
  ].join('\n');
}

const shares = (list: TimeShare[], busyMs: number) =>
  list.map((s) => `    ${s.ms.toFixed(0).padStart(6)} ms ${((s.ms / busyMs) * 100).toFixed(0).padStart(3)}%  ${s.name}`);

async function profile(context: BenchContext, addresses: string[], dir: string, accounting: Accounting): Promise<string> {
  await mkdir(dir, { recursive: true });
  const invocation = await fleetbench().prepare({ ...context, concurrency: PROFILE_CONCURRENCY }, { addresses, dir });
  const group = await accounting.tree?.group('profile');
  try {
    const run = await measure(invocation.command, ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'profile')}`, ...invocation.args], {
      env: invocation.env,
      runner: context.fleet.runInFabric,
      ...(group ? { group } : {}),
    });
    const [file] = await readdir(join(dir, 'profile')).catch(() => []);
    if (!file) throw new Error(`fleetbench wrote no CPU profile (exit ${run.exitCode}): ${run.stderr.slice(-500)}`);
    const summary = await summarizeProfile(join(dir, 'profile', file));
    const cpu = (await group?.usage())?.cpuSeconds ?? run.cpuSeconds;
    return [
      `fleetbench's own CPU in one scan of ${addresses.length} hosts at ${PROFILE_CONCURRENCY} in parallel (node --cpu-prof; ${run.wallSeconds.toFixed(1)} s):`,
      `  ${(cpu * 1000).toFixed(0)} ms of CPU, ${((cpu * 1000) / addresses.length).toFixed(1)} ms per host; the profile saw ${summary.busyMs.toFixed(0)} ms of it`,
      '  (the rest is the kernel: system calls, TCP). Self time:',
      '  by area:',
      ...shares(summary.areas, summary.busyMs),
      '  by function:',
      ...shares(summary.functions, summary.busyMs),
      "  fleetbench's functions, total time (with what they call):",
      ...shares(summary.ownTotals, summary.busyMs),
    ].join('\n');
  } finally {
    await group?.remove();
  }
}

export async function investigate(context: BenchContext, addresses: string[], dir: string, accounting: Accounting): Promise<string> {
  return ["Where fleetbench's time goes", '', await phases(context, addresses, accounting), '', await profile(context, addresses, dir, accounting)].join('\n');
}
