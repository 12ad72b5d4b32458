import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './contenders/contender.js';
import { fleetbench } from './contenders/fleetbench.js';
import { summarizeProfile } from './cpu-profile.js';
import type { TimeShare } from './cpu-profile.js';
import type { PhaseReport, Step } from './host-phases.js';
import { formatTable } from './table.js';
import type { Accounting } from './timed-run.js';

// Where fleetbench's time goes: what each phase of one host costs (wall time on the client, CPU
// on the host), one host at a time so that nothing competes; and where the client's own CPU goes
// in a whole scan, from a V8 CPU profile.

const PHASE_SCRIPT = fileURLToPath(new URL('./host-phases.js', import.meta.url));
const PHASE_HOSTS = 20;

const STEPS: [Step, string][] = [
  ['session', "log in, run 'true'"],
  ['command', "the contenders' sudo ps + cat"],
  ['probe', "fleetbench's launcher + probe"],
  ['full', 'probe, then etcdctl member list'],
  ['full-nodelay', 'the same with TCP_NODELAY'],
];

async function timePhase(context: BenchContext, step: Step, hosts: string[]): Promise<PhaseReport> {
  const run = await context.fleet.runInFabric(process.execPath, [PHASE_SCRIPT, step, context.fleet.keyFile, context.fleet.knownHostsFile, context.fleet.user, ...hosts], {
    env: context.env,
    timeoutMs: 120_000,
  });
  if (run.code !== 0) throw new Error(`host-phases ${step} failed: ${run.stderr.trim().slice(-500)}`);
  return JSON.parse(run.stdout) as PhaseReport;
}

async function phases(context: BenchContext, addresses: string[], accounting: Accounting): Promise<string> {
  const hosts = addresses.slice(0, PHASE_HOSTS);
  // Untimed: the first connections of a process pay for loading code.
  await timePhase(context, 'session', hosts.slice(0, 3));
  const rows: string[][] = [];
  for (const [step, what] of STEPS) {
    const before = await accounting.hosts?.usage();
    const report = await timePhase(context, step, hosts);
    const after = await accounting.hosts?.usage();
    const hostCpu = before && after ? (((after.cpuSeconds - before.cpuSeconds) / hosts.length) * 1000).toFixed(0) : 'n/a';
    const ms = (value: number) => (value === 0 ? '-' : value.toFixed(1));
    rows.push([what, ms(report.connectMs), ms(report.commandMs), ms(report.parseMs), ms(report.memberListMs), (report.outputBytes / 1024).toFixed(1), hostCpu]);
  }
  return [
    `One host at a time (${hosts.length} hosts, medians; ssh2 as fleetbench uses it, curve25519). Steps of about 40 ms`,
    "are Nagle's algorithm waiting for a delayed ACK: ssh2's sockets do not set TCP_NODELAY, and the last row shows what it costs.",
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

const shares = (list: TimeShare[], busyMs: number) => list.map((s) => `    ${s.ms.toFixed(0).padStart(6)} ms ${((s.ms / busyMs) * 100).toFixed(0).padStart(3)}%  ${s.name}`);

async function profile(context: BenchContext, addresses: string[], dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const invocation = await fleetbench().prepare(context, { addresses, dir });
  const run = await context.fleet.runInFabric(invocation.command, ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'profile')}`, ...invocation.args], {
    env: invocation.env,
    timeoutMs: 600_000,
  });
  const [file] = await readdir(join(dir, 'profile')).catch(() => []);
  if (!file) throw new Error(`fleetbench wrote no CPU profile (exit ${run.code}): ${run.stderr.trim().slice(-500)}`);
  const summary = await summarizeProfile(join(dir, 'profile', file));
  return [
    `fleetbench's own CPU in one scan of ${addresses.length} hosts at ${context.concurrency} in parallel (node --cpu-prof, self time):`,
    `  ${summary.busyMs.toFixed(0)} ms sampled busy in ${summary.totalMs.toFixed(0)} ms, ${(summary.busyMs / addresses.length).toFixed(1)} ms per host.`,
    '  (Samples are wall-clock on the main thread: where the hosts keep both cores busy, time spent waiting',
    '  for a core inside a system call, such as a socket write, is counted there.)',
    '  by area:',
    ...shares(summary.areas, summary.busyMs),
    '  by function:',
    ...shares(summary.functions, summary.busyMs),
  ].join('\n');
}

export async function investigate(context: BenchContext, addresses: string[], dir: string, accounting: Accounting): Promise<string> {
  return ["Where fleetbench's time goes", '', await phases(context, addresses, accounting), '', await profile(context, addresses, dir)].join('\n');
}
