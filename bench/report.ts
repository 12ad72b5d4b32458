import type { CompareOptions } from './compare-options.js';
import type { CoreSplit } from './core-split.js';
import type { Contender } from './contenders/contender.js';
import type { MachineDescription } from './machine.js';
import { median, min } from './stats.js';
import { formatTable } from './table.js';
import type { RunRecord } from './timed-run.js';

// The comparison as printed: one row per contender (medians over the repetitions, and the best
// wall time), ratios to fleetbench's median wall time, and the issue's targets met or missed.

export interface ContenderRuns {
  id: string;
  contender: Contender;
  runs: RunRecord[];
}

const seconds = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(2));
const megabytes = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(0));

function medianOf(runs: RunRecord[], pick: (run: RunRecord) => number | undefined): number | undefined {
  const values = runs.map(pick).filter((v): v is number => v !== undefined);
  return values.length === 0 ? undefined : median(values);
}

function hostsOk(runs: RunRecord[], hosts: number): string {
  const worst = Math.min(...runs.map((r) => r.coverage.ok));
  return `${worst}/${hosts}`;
}

/**
 * The wall time a run could not beat here however it scheduled its work: all its CPU over all the
 * cores, or with the cores split, the slower side of the two.
 */
function cpuFloor(toolCpu: number, hostsCpu: number, cores: number, split: CoreSplit | undefined): number {
  return split ? Math.max(toolCpu / split.toolCores, hostsCpu / split.hostCores) : (toolCpu + hostsCpu) / cores;
}

function comparisonTable(all: ContenderRuns[], hosts: number, cores: number, split: CoreSplit | undefined): string {
  const reference = all.find((c) => c.id === 'fleetbench');
  const referenceWall = reference && median(reference.runs.map((r) => r.wallSeconds));
  const rows = all.map(({ contender, runs }) => {
    const wall = median(runs.map((r) => r.wallSeconds));
    const toolCpu = medianOf(runs, (r) => r.treeCpuSeconds);
    const hostsCpu = medianOf(runs, (r) => r.hostCpuSeconds);
    return [
      contender.name,
      contender.kex,
      hostsOk(runs, hosts),
      seconds(wall),
      seconds(min(runs.map((r) => r.wallSeconds))),
      (hosts / wall).toFixed(1),
      referenceWall ? `${(wall / referenceWall).toFixed(2)}×` : 'n/a',
      seconds(toolCpu),
      seconds(medianOf(runs, (r) => r.timeCpuSeconds)),
      megabytes(medianOf(runs, (r) => r.treePeakMb)),
      megabytes(medianOf(runs, (r) => r.maxRssMb)),
      seconds(hostsCpu),
      seconds(toolCpu === undefined || hostsCpu === undefined ? undefined : cpuFloor(toolCpu, hostsCpu, cores, split)),
      seconds(medianOf(runs, (r) => r.otherCpuSeconds)),
    ];
  });
  return formatTable(
    [
      { header: 'contender' },
      { header: 'key exchange' },
      { header: 'hosts ok', align: 'right' },
      { header: 'wall s', align: 'right' },
      { header: 'best s', align: 'right' },
      { header: 'hosts/s', align: 'right' },
      { header: 'wall vs fleetbench', align: 'right' },
      { header: 'CPU s', align: 'right' },
      { header: 'CPU s (time)', align: 'right' },
      { header: 'peak MB', align: 'right' },
      { header: 'max RSS MB', align: 'right' },
      { header: 'hosts CPU s', align: 'right' },
      { header: 'all CPU / cores s', align: 'right' },
      { header: 'other CPU s', align: 'right' },
    ],
    rows,
  );
}

const TABLE_LEGEND = [
  'wall s: median over the repetitions; best s: the fastest; hosts/s: hosts / median wall.',
  "wall vs fleetbench: the contender's median wall time over fleetbench's (above 1: fleetbench is faster).",
  'CPU s: user + system of every process the tool started, waited for or not (its cgroup); CPU s (time): GNU time,',
  '  the tool and the children it waited for. peak MB: the most memory charged to its cgroup at once: all its',
  '  processes together, not counting pages already in memory before it started (the node binary, shared',
  '  libraries); max RSS MB: GNU time, the largest single process, shared pages included.',
  'hosts CPU s: what sshd, sudo and the commands cost the hosts, as their cgroup counts it.',
  "all CPU / cores s: (CPU s + hosts CPU s) / this machine's cores: the wall time the run could not beat here,",
  "  however it scheduled its work (with the cores split: the larger of CPU s / the tools' cores and hosts CPU s /",
  "  the hosts' cores). other CPU s: what the machine spent meanwhile besides the tool and the hosts:",
  "  the kernel's network work, and anything else running; much of it means the run was disturbed.",
  'hosts ok: hosts whose data arrived complete, in the worst repetition.',
];

function wallOf(all: ContenderRuns[], id: string): { wall: number; complete: boolean } | undefined {
  const found = all.find((c) => c.id === id);
  if (!found) return undefined;
  return { wall: median(found.runs.map((r) => r.wallSeconds)), complete: found.runs.every((r) => r.coverage.failures.length === 0) };
}

/** A figure of one contender's over the same of another's, in each repetition (both ran once in every round). */
function repetitionRatios(all: ContenderRuns[], id: string, otherId: string, pick: (run: RunRecord) => number | undefined): string {
  const runs = all.find((c) => c.id === id)!.runs;
  const others = all.find((c) => c.id === otherId)!.runs;
  return runs
    .map((run, i) => {
      const [value, other] = [pick(run), pick(others[i]!)];
      return value === undefined || other === undefined ? 'n/a' : `${(value / other).toFixed(2)}×`;
    })
    .join(', ');
}

/** The issue's targets, each met or missed, with the figures behind it. */
function targetLines(all: ContenderRuns[], hosts: number): string[] {
  const ours = wallOf(all, 'fleetbench');
  const lines: string[] = [];
  const incomplete = (complete: boolean) => (complete ? '' : " (it did not get every host's data)");
  const met = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  const sameWork = wallOf(all, 'ssh-same-work');
  if (ours && sameWork) {
    lines.push(
      `wall time no more than OpenSSH doing the same work: ${seconds(ours.wall)} s vs ${seconds(sameWork.wall)} s, ${(ours.wall / sameWork.wall).toFixed(2)}× its time: ${met(ours.wall <= sameWork.wall)}${incomplete(sameWork.complete)}`,
      `  repetition by repetition: ${repetitionRatios(all, 'fleetbench', 'ssh-same-work', (run) => run.wallSeconds)}`,
    );
  }
  const perHost = (id: string, pick: (run: RunRecord) => number | undefined) => {
    const runs = all.find((c) => c.id === id)?.runs;
    const value = runs && medianOf(runs, pick);
    return value === undefined ? undefined : (value * 1000) / hosts;
  };
  const clientCpu = (run: RunRecord) => run.treeCpuSeconds ?? run.timeCpuSeconds;
  const oursCpu = perHost('fleetbench', clientCpu);
  const theirCpu = perHost('ssh-same-work', clientCpu);
  if (oursCpu !== undefined && theirCpu !== undefined) {
    lines.push(
      `client CPU per host no more than OpenSSH's for the same work: ${oursCpu.toFixed(1)} ms vs ${theirCpu.toFixed(1)} ms: ${met(oursCpu <= theirCpu)}`,
    );
  }
  const plainHosts = perHost('ssh-same-kex', (run) => run.hostCpuSeconds);
  const probeHosts = perHost('ssh-probe', (run) => run.hostCpuSeconds);
  if (probeHosts !== undefined && plainHosts !== undefined) {
    const ratio = probeHosts / plainHosts;
    lines.push(
      `hosts' CPU per host for the probe (sent by OpenSSH, no member list) under 1.5× that of sudo ps; cat: ${probeHosts.toFixed(1)} ms vs ${plainHosts.toFixed(1)} ms, ${ratio.toFixed(2)}×: ${met(ratio < 1.5)}`,
      `  repetition by repetition: ${repetitionRatios(all, 'ssh-probe', 'ssh-same-kex', (run) => run.hostCpuSeconds)}`,
    );
  }
  const oursHosts = perHost('fleetbench', (run) => run.hostCpuSeconds);
  if (oursHosts !== undefined && plainHosts !== undefined) {
    lines.push(
      `(for the record) hosts' CPU per host for fleetbench's scan, probe and member list (here every host its own cluster): ${oursHosts.toFixed(1)} ms, ${(oursHosts / plainHosts).toFixed(2)}× sudo ps; cat`,
    );
  }
  for (const [id, name, factor] of [
    ['pssh', 'parallel-ssh', 2.5],
    ['ansible', 'Ansible', 4],
  ] as const) {
    const other = wallOf(all, id);
    if (!ours || !other) continue;
    const ratio = other.wall / ours.wall;
    lines.push(
      `at least ${factor}× faster than ${name}: ${seconds(other.wall)} s vs ${seconds(ours.wall)} s, ${ratio.toFixed(2)}×: ${met(ratio >= factor)}${incomplete(other.complete)}`,
    );
  }
  if (!ours) lines.push('fleetbench did not run: the targets that compare it are left out');
  else if (!ours.complete) lines.push("fleetbench itself did not get every host's data: see the failures above");
  return lines;
}

/**
 * What each tool costs the client alone: on a real fleet the hosts' share runs on the hosts, and
 * this is what bounds a tool's wall time on the machine it runs on (with latency).
 */
function clientShareLines(all: ContenderRuns[], hosts: number): string[] {
  const cpuOf = (runs: RunRecord[]) => medianOf(runs, (r) => r.treeCpuSeconds ?? r.timeCpuSeconds)!;
  const reference = all.find((c) => c.id === 'fleetbench');
  const ours = reference && cpuOf(reference.runs);
  return all.map(({ contender, runs }) => {
    const cpu = cpuOf(runs);
    const ratio = ours ? `, ${(cpu / ours).toFixed(2)}× fleetbench's` : '';
    return `${contender.name}: ${seconds(cpu)} s, ${((cpu * 1000) / hosts).toFixed(1)} ms per host${ratio}`;
  });
}

/** One timed run, as the progress shows it. */
export function runLine(contender: Contender, rep: number, options: CompareOptions, record: RunRecord): string {
  const failed = record.coverage.failures;
  return [
    `rep ${rep}/${options.reps} ${contender.name}: ${record.wallSeconds.toFixed(2)} s, ${record.coverage.ok}/${options.hosts} hosts, exit ${record.exitCode}`,
    record.hostCpuSeconds === undefined ? '' : `, hosts CPU ${record.hostCpuSeconds.toFixed(1)} s`,
    record.otherCpuSeconds === undefined ? '' : `, other CPU ${record.otherCpuSeconds.toFixed(1)} s`,
    failed.length === 0 ? '' : `; failed: ${failed.slice(0, 3).join('; ')}${failed.length > 3 ? ` and ${failed.length - 3} more` : ''}`,
  ].join('');
}

export interface ComparisonInput {
  options: CompareOptions;
  started: Date;
  machine: MachineDescription;
  /** Where the hosts and the tools ran, when apart. */
  split: CoreSplit | undefined;
  /** Share of a core other work used just before the start. */
  busyBefore: number;
  busyLimit: number;
  addresses: string[];
  contenders: ContenderRuns[];
}

/** The whole printed comparison: what ran where, the table, the targets, each tool's own CPU. */
export function comparisonReport(input: ComparisonInput): string[] {
  const { options, machine, split, busyBefore, addresses, contenders } = input;
  const disturbed = busyBefore > input.busyLimit ? ': the figures are disturbed' : '';
  return [
    `fleetbench benchmark · ${options.hosts} hosts · ${options.concurrency} in parallel · ${options.reps} repetitions · ${input.started.toISOString()}`,
    ...machine.lines,
    `fleet: ${options.namespaces === 1 ? 'one namespace host' : `${options.namespaces} namespace hosts, each`} set up as a kubeadm control-plane node (real etcd with TLS, kube-apiserver stand-in,`,
    `  manifests 0600 root), answering at ${options.hosts} addresses in all (${addresses[0]}…${addresses.at(-1)}), one OpenSSH sshd each (MaxStartups ${options.maxStartups});`,
    '  user audit, sudo NOPASSWD;',
    '  every contender checks the host key against the same known_hosts and logs in with the same ed25519 key.',
    `before the run, other work kept ${(busyBefore * 100).toFixed(0)}% of a core busy${disturbed}; other CPU s below says how much during each run.`,
    ...(split
      ? [
          `cores split: the hosts' sshd, sudo and commands (hosts CPU s) run on CPU ${split.hostCpus} of this machine's ${machine.cores}, the tools on CPU ${split.toolCpus},`,
          '  as if the hosts were other machines: neither takes CPU time from the other.',
        ]
      : [
          `note: the hosts run on this same machine: their sshd, sudo and commands (hosts CPU s) compete with the tools for its ${machine.cores} cores,`,
          "  which a real fleet's would not.",
        ]),
    '',
    comparisonTable(contenders, options.hosts, machine.cores, split),
    '',
    ...TABLE_LEGEND,
    '',
    `targets (the issue's, at 200 hosts and 64 in parallel; this run: ${options.hosts} and ${options.concurrency}):`,
    ...targetLines(contenders, options.hosts).map((line) => `  ${line}`),
    '',
    "the tools' own CPU (CPU s above), which bounds their wall time where the hosts are other machines:",
    ...clientShareLines(contenders, options.hosts).map((line) => `  ${line}`),
  ];
}
