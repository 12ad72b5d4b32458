import { mkdir } from 'node:fs/promises';
import type { BenchContext, Contender, Coverage } from './contenders/contender.js';
import { machineBusySeconds } from './machine-cpu.js';
import { measure } from './measure.js';
import { waitUntilQuiet } from './quiet.js';
import type { AccountingGroup, TreeAccounting } from './tree-accounting.js';

// One timed run of one contender: its inventory written, the tool timed inside the fabric with its
// whole process tree accounted, what it left behind ended, the hosts' and the machine's CPU for the
// run read once the hosts are idle again, and which hosts it really got the data from.

export interface RunRecord {
  wallSeconds: number;
  /** GNU time: the tool and the children it waited for. */
  timeCpuSeconds: number;
  /** GNU time: the largest single process. */
  maxRssMb: number;
  /** cgroup: every process of the tool's tree, waited for or not. */
  treeCpuSeconds?: number;
  treePeakMb?: number;
  /** CPU the hosts (sshd, sudo, the commands) spent on this run. */
  hostCpuSeconds?: number;
  /** CPU the machine spent meanwhile on neither: the kernel's share, and anything else that ran. */
  otherCpuSeconds?: number;
  exitCode: number;
  coverage: Coverage;
  stderr: string;
}

export interface Accounting {
  tree: TreeAccounting | undefined;
  /** The group every host of the fleet joined. */
  hosts: AccountingGroup | undefined;
}

export async function timedRun(
  contender: Contender,
  context: BenchContext,
  addresses: string[],
  dir: string,
  label: string,
  accounting: Accounting,
): Promise<RunRecord> {
  await mkdir(dir, { recursive: true });
  const run = { addresses, dir };
  const invocation = await contender.prepare(context, run);
  await waitUntilQuiet(accounting.hosts);
  const hostsBefore = await accounting.hosts?.usage();
  const machineBefore = await machineBusySeconds();
  const group = await accounting.tree?.group(label);
  try {
    const measured = await measure(invocation.command, invocation.args, {
      env: invocation.env,
      ...(invocation.stdoutFile ? { stdoutFile: invocation.stdoutFile } : {}),
      runner: context.fleet.runInFabric,
      ...(group ? { group } : {}),
    });
    await contender.finish?.(context, run);
    const tree = await group?.usage();
    await waitUntilQuiet(accounting.hosts);
    const hostsAfter = await accounting.hosts?.usage();
    const machineAfter = await machineBusySeconds();
    const record: RunRecord = {
      wallSeconds: measured.wallSeconds,
      timeCpuSeconds: measured.cpuSeconds,
      maxRssMb: measured.peakRssMb,
      exitCode: measured.exitCode,
      coverage: await contender.check(context, run),
      stderr: measured.stderr,
    };
    if (tree) {
      record.treeCpuSeconds = tree.cpuSeconds;
      if (tree.peakMemoryMb !== undefined) record.treePeakMb = tree.peakMemoryMb;
    }
    if (hostsBefore && hostsAfter) record.hostCpuSeconds = hostsAfter.cpuSeconds - hostsBefore.cpuSeconds;
    if (record.treeCpuSeconds !== undefined && record.hostCpuSeconds !== undefined) {
      // /proc/stat counts in 10 ms ticks, the cgroups in nanoseconds: a quiet run can come out a little below 0.
      record.otherCpuSeconds = Math.max(0, machineAfter - machineBefore - record.treeCpuSeconds - record.hostCpuSeconds);
    }
    return record;
  } finally {
    await group?.remove();
  }
}
