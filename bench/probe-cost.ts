// npm run bench:probe — what fleetbench's probe costs a host, and where that CPU goes: one kubeadm
// namespace host (as `npm run bench` sets it up), one session at a time through OpenSSH, the
// host's CPU read from its cgroup around each session; then the probe run as root on the host
// under `perf` (program by program), and what starting a program costs on this machine, which
// decides most of it. Needs what `npm run bench` needs, and `perf` (Debian: linux-perf).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstLaunch, launcherCommand } from '../src/collect/launcher.js';
import { newNonce } from '../src/collect/probe.js';
import type { CleanupStack } from '../test/support/netns/cleanup-stack.js';
import { ETCD_COMMANDS } from '../test/support/netns/etcd/etcd-fleet.js';
import { missingPrerequisites } from '../test/support/netns/prerequisites.js';
import { startBenchFleet } from './bench-fleet.js';
import { pinBench, pinHosts, planCoreSplit } from './core-split.js';
import type { BenchContext } from './contenders/contender.js';
import { REMOTE_COMMAND } from './contenders/host-data.js';
import { fleetbench } from './contenders/fleetbench.js';
import { scanInput } from './contenders/ssh-same-work.js';
import { sshOptions } from './contenders/ssh-options.js';
import { median } from './stats.js';
import { TreeAccounting } from './tree-accounting.js';
import { withCleanup } from './with-cleanup.js';

const SESSIONS = 15;
const PERF_RUNS = 20;
const progress = (line: string) => process.stderr.write(`${line}\n`);

async function probeCost(cleanup: CleanupStack, splitCores: boolean): Promise<void> {
  const split = splitCores ? planCoreSplit() : undefined;
  // Before anything starts: what the bench starts from now on inherits its cores.
  if (split) await pinBench(split);
  const work = await mkdtemp(join(tmpdir(), 'fleetbench-probe-cost-'));
  cleanup.defer(`remove ${work}`, () => rm(work, { recursive: true, force: true }));
  const tree = await TreeAccounting.create(`fleetbench-probe-cost-${process.pid}`);
  if (!tree) throw new Error('no cgroup CPU accounting on this machine');
  cleanup.defer('remove the accounting cgroups', () => tree.remove());
  const hosts = await tree.group('hosts');
  progress('starting one kubeadm namespace host...');
  const bench = await startBenchFleet({ hosts: 1, namespaces: 1, maxStartups: '1000', joinCgroups: hosts.dirs, log: () => undefined });
  cleanup.defer('stop the fleet', () => bench.stop());
  if (split) await pinHosts(split, hosts);
  const fleet = bench.fleet;
  const address = bench.addresses[0]!;
  const host = fleet.hosts[0]!;
  const context: BenchContext = { fleet, concurrency: 1, env: { ...process.env, HOME: work, SSH_AUTH_SOCK: '' } };
  const nonce = newNonce();
  const sent = await scanInput(context, address, nonce);
  const probe = sent.probe;
  const full = sent.probe + sent.memberList;
  const launcher = launcherCommand(firstLaunch(true, fleet.user, false));
  const ssh = (remote: string, input: string) =>
    fleet.runInFabric('ssh', [...sshOptions(fleet), '-o', 'KexAlgorithms=curve25519-sha256', address, remote], { env: context.env, input, timeoutMs: 60_000 });
  const cpuMs = async () => (await hosts.usage()).cpuSeconds * 1000;
  const scan = await fleetbench().prepare(context, { addresses: [address], dir: work });
  const run = (remote: string, input: string) =>
    remote === 'fleetbench' ? fleet.runInFabric(scan.command, scan.args, { env: scan.env, timeoutMs: 60_000 }) : ssh(remote, input);

  // The host's own ticking (etcd), to take out of each session's share.
  const idleStart = await cpuMs();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const idlePerMs = ((await cpuMs()) - idleStart) / 3000;

  const where = split ? `; the host on CPU ${split.hostCpus}, the clients on CPU ${split.toolCpus}` : '';
  console.log(`The bench's kubeadm host, one session at a time through OpenSSH (curve25519)${where}, its CPU per session (median of ${SESSIONS}):`);
  // [what, remote command, stdin, whether a process spins on the client's side meanwhile]
  const sessions: [string, string, string, boolean?][] = [
    ['log in, run true', 'true', ''],
    // The same login while another process keeps a core busy on the client's side, as ssh2's
    // client (one node process) does and OpenSSH's does not: what sharing this machine's two
    // cores adds to the host's own CPU.
    ['the same, a spinner beside the client', 'true', '', true],
    ['sudo -n true', 'sudo -n true', ''],
    ["the contenders' sudo ps; cat", REMOTE_COMMAND, ''],
    ["fleetbench's launcher and probe", launcher, probe],
    ['the same, then etcdctl member list', launcher, full],
    ['fleetbench scan (ssh2), the same work', 'fleetbench', ''],
  ];
  const costOf = async ([what, remote, input, spin]: [string, string, string, boolean?]) => {
    // Killed once the session ends; it stops by itself after 20 s should this process die first.
    const spinner = spin ? spawn(process.execPath, ['-e', 'for (const end = Date.now() + 20000; Date.now() < end; );'], { stdio: 'ignore' }) : undefined;
    const started = performance.now();
    const before = await cpuMs();
    const ran = await run(remote, input).finally(() => spinner?.kill('SIGKILL'));
    // fleetbench exits 1 for the bench host's FAILs.
    if (ran.code !== 0 && !(remote === 'fleetbench' && ran.code === 1)) throw new Error(`${what}: exit ${ran.code}: ${ran.stderr.slice(0, 300)}`);
    // sshd's session process ends just after the client sees the channel close.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return (await cpuMs()) - before - idlePerMs * (performance.now() - started);
  };
  for (const [, remote, input] of sessions) for (let i = 0; i < 3; i++) await run(remote, input);
  // Round by round, each session once (in turn first): this machine's speed drifts by more than
  // the differences measured, and drift then weighs on every kind of session alike.
  const costs = sessions.map((): number[] => []);
  for (let round = 0; round < SESSIONS; round++) {
    for (let k = 0; k < sessions.length; k++) {
      const index = (round + k) % sessions.length;
      costs[index]!.push(await costOf(sessions[index]!));
    }
  }
  sessions.forEach(([what], index) => console.log(`  ${what.padEnd(36)} ${median(costs[index]!).toFixed(1).padStart(7)} ms`));
  const costsOf = (what: string) => costs[sessions.findIndex(([name]) => name === what)]!;
  const [psCat, alone] = [costsOf("the contenders' sudo ps; cat"), costsOf("fleetbench's launcher and probe")];
  const ratios = alone.map((cost, round) => cost / psCat[round]!).sort((a, b) => a - b);
  console.log(`  the probe over sudo ps; cat, round by round: median ${median(ratios).toFixed(2)}x (${ratios[0]!.toFixed(2)}-${ratios.at(-1)!.toFixed(2)}x)`);

  // The probe as root on the host itself: no sshd, no sudo.
  await host.install([{ path: '/var/tmp/fleetbench-probe', content: probe }]);
  const onHost = async (command: string) => (await host.run('sh', ['-c', command], { timeoutMs: 120_000 })).stdout;
  const perfStat = async (command: string) =>
    /([\d.]+) msec task-clock/.exec(await onHost(`perf stat -r ${PERF_RUNS} -e task-clock sh -c '${command}' 2>&1 >/dev/null`))?.[1] ?? '?';
  console.log(
    `\nThe probe as root on the host (no ssh, no sudo), perf stat -r ${PERF_RUNS}: ${await perfStat('sh -s root < /var/tmp/fleetbench-probe')} ms of CPU`,
  );
  const perfData = '/var/tmp/fleetbench-probe.perf';
  const byProgram = await onHost(
    `perf record -q -e cpu-clock -F 10000 -o ${perfData} -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sh -s root < /var/tmp/fleetbench-probe; done' >/dev/null 2>&1; ` +
      `perf report -i ${perfData} --stdio --sort comm 2>/dev/null | grep '%'`,
  );
  console.log(`by program (perf record, 10 probes; sh is the probe's own shell, its forks included):\n${byProgram.trimEnd()}`);
  const started = await onHost(
    // -z: only the calls that worked (an `exec awk` tries each directory of PATH in turn).
    "strace -f -qq -z -e trace=execve,clone,clone3,fork,vfork -o /var/tmp/fleetbench-probe.strace sh -s root < /var/tmp/fleetbench-probe >/dev/null; grep -v resumed /var/tmp/fleetbench-probe.strace | grep -c 'execve('; grep -v resumed /var/tmp/fleetbench-probe.strace | grep -cE '(clone|clone3|fork|vfork)\\('",
  );
  const [execs, forks] = started.trim().split('\n');
  console.log(`programs started: ${Number(execs) - 1} (and the probe's shell), forks: ${forks}`);

  console.log(`\nWhat starting things costs on this machine (perf stat -r ${PERF_RUNS}, CPU):`);
  const starts: [string, string][] = [
    ['dash, doing nothing', 'true'],
    ['dash starting a program (/bin/true)', '/bin/true'],
    ['dash forking once', 'x=$(true)'],
    ['dash running sleep 0', 'sleep 0'],
    ['dash running awk', 'awk 1 /dev/null'],
    ['dash running ps -ef', 'ps -ef >/dev/null'],
  ];
  for (const [what, command] of starts) {
    console.log(`  ${what.padEnd(36)} ${(await perfStat(command)).padStart(7)} ms`);
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.some((arg) => arg !== '--split-cores')) {
    console.error('usage: npm run bench:probe [-- --split-cores]   (the host on the last core, the clients on the others)');
    return 64;
  }
  const missing = await missingPrerequisites([...ETCD_COMMANDS, 'perf', 'strace']);
  if (missing.length > 0) {
    console.error(`cannot run this benchmark here: ${missing.join('; ')}`);
    return 1;
  }
  await withCleanup((cleanup) => probeCost(cleanup, args.includes('--split-cores')));
  return 0;
}

process.exitCode = await main();
