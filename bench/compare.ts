// npm run bench: fleetbench against xargs -P + ssh, parallel-ssh and ansible -m raw, on a fleet of
// real OpenSSH sshd in a network namespace, each tool at the same parallelism collecting the same
// data, in one run with several repetitions. See bench/README.md.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CleanupStack } from '../test/support/netns/cleanup-stack.js';
import { ETCD_COMMANDS } from '../test/support/netns/etcd/etcd-fleet.js';
import { missingPrerequisites } from '../test/support/netns/prerequisites.js';
import { startBenchFleet } from './bench-fleet.js';
import { pinBench, pinHosts, planCoreSplit } from './core-split.js';
import { parseCompareOptions, USAGE } from './compare-options.js';
import type { CompareOptions } from './compare-options.js';
import { allContenders } from './contenders/all.js';
import type { BenchContext } from './contenders/contender.js';
import { investigate } from './investigate.js';
import { busyShare } from './machine-cpu.js';
import { describeMachine, opensshDefaultKex } from './machine.js';
import { comparisonReport, runLine } from './report.js';
import type { ContenderRuns } from './report.js';
import { timedRun } from './timed-run.js';
import type { Accounting } from './timed-run.js';
import { TreeAccounting } from './tree-accounting.js';
import { withCleanup } from './with-cleanup.js';

const TOOLS = ['xargs', 'parallel-ssh', 'ansible', '/usr/bin/time'];
/** Hosts of the untimed first run of each contender: it loads their files into the page cache and proves they work. */
const WARM_UP_HOSTS = 8;

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** Above this share of a core used by other work before the start, the figures will be disturbed. */
const BUSY_BEFORE_LIMIT = 0.1;

async function compare(options: CompareOptions, cleanup: CleanupStack): Promise<void> {
  const started = new Date();
  const split = options.splitCores ? planCoreSplit() : undefined;
  // Before anything starts: what the bench starts from now on inherits its cores.
  if (split) await pinBench(split);
  const busyBefore = await busyShare(2_000);
  if (busyBefore > BUSY_BEFORE_LIMIT) progress(`warning: something else keeps ${(busyBefore * 100).toFixed(0)}% of a core busy: the figures will be disturbed`);
  const contenders = allContenders(await opensshDefaultKex());
  const chosen: ContenderRuns[] = options.contenders.map((id) => ({ id, contender: contenders[id], runs: [] }));

  const work = await mkdtemp(join(tmpdir(), 'fleetbench-bench-'));
  cleanup.defer(`remove ${work}`, () => rm(work, { recursive: true, force: true }));
  const home = join(work, 'home');
  await mkdir(home);
  const tree = await TreeAccounting.create(`fleetbench-bench-${process.pid}`);
  if (tree) cleanup.defer('remove the accounting cgroups', () => tree.remove());
  else progress('no cgroup CPU accounting on this machine: the CPU s, peak MB and hosts CPU s columns will say n/a');
  const hosts = await tree?.group('hosts');
  const accounting: Accounting = { tree, hosts };

  progress(`starting the fleet: ${options.hosts} addresses on ${options.namespaces} namespace host(s)...`);
  const bench = await startBenchFleet({ ...options, joinCgroups: hosts?.dirs ?? [], log: () => undefined });
  cleanup.defer('stop the fleet', () => bench.stop());
  if (split) {
    if (!hosts) throw new Error('--split-cores needs the cgroup accounting of the hosts, which this machine does not offer');
    const pinned = await pinHosts(split, hosts);
    progress(`split cores: ${pinned} host processes on CPU ${split.hostCpus}, the bench and the tools on CPU ${split.toolCpus}`);
  }
  const context: BenchContext = { fleet: bench.fleet, concurrency: options.concurrency, env: { ...process.env, HOME: home, SSH_AUTH_SOCK: '' } };

  for (const { id, contender } of chosen) {
    const addresses = bench.addresses.slice(0, WARM_UP_HOSTS);
    const warm = await timedRun(contender, context, addresses, join(work, 'runs', `${id}-warm-up`), `${id}-warm-up`, accounting);
    if (warm.coverage.failures.length > 0) {
      throw new Error(
        `${contender.name} does not work here (warm-up on ${addresses.length} hosts, exit ${warm.exitCode}): ${warm.coverage.failures.slice(0, 3).join('; ')} ${warm.stderr.slice(-300)}`,
      );
    }
    progress(`warm-up ${contender.name}: ${warm.wallSeconds.toFixed(2)} s for ${addresses.length} hosts`);
  }

  for (let rep = 1; rep <= options.reps; rep++) {
    // A different order each repetition, so that no contender always runs first or last.
    const order = chosen.map((_, i) => chosen[(i + rep - 1) % chosen.length]!);
    for (const entry of order) {
      const label = `${entry.id}-${rep}`;
      const record = await timedRun(entry.contender, context, bench.addresses, join(work, 'runs', label), label, accounting);
      entry.runs.push(record);
      progress(runLine(entry.contender, rep, options, record));
    }
  }

  const machine = await describeMachine();
  console.log(
    comparisonReport({ options, started, machine, split, busyBefore, busyLimit: BUSY_BEFORE_LIMIT, addresses: bench.addresses, contenders: chosen }).join('\n'),
  );

  if (options.investigate) {
    progress("investigating where fleetbench's time goes...");
    console.log(`\n${await investigate(context, bench.addresses, join(work, 'investigate'), accounting)}`);
  }
}

async function main(): Promise<number> {
  let options: CompareOptions | undefined;
  try {
    options = parseCompareOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 64;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const missing = await missingPrerequisites([...ETCD_COMMANDS, ...TOOLS]);
  if (missing.length > 0) {
    console.error(`cannot run the benchmark here: ${missing.join('; ')}`);
    return 1;
  }
  await withCleanup((cleanup) => compare(options, cleanup));
  return 0;
}

process.exitCode = await main();
