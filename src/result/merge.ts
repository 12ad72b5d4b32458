import { canonicalJson } from '../canonical-json.js';
import { groupBy } from '../group-by.js';
import type { ClusterSummary, Finding, HostOutcome, MergedSource, ScanResult } from '../model.js';
import { escaped } from '../report/terminal-text.js';
import { SCHEMA_VERSION, VERSION } from '../version.js';
import { ResultFileError } from './result-file.js';

// One report from several scans (`fleetbench report a.json b.json`): a fleet split between
// bastions or runners, each scanning its part. The parts must fit together:
// - the same benchmark, since control numbers differ between benchmarks;
// - a host in two parts must have the same outcome and findings in both (a scan repeated on
//   the same host is fine, two different verdicts on one host are not: which is true?);
// - a cluster's hosts must all come from one part: its facts (how many etcd members it has,
//   whether they agree on membership, whether etcd shares a CA with the apiserver) were worked out
//   from the hosts each scan saw, and two halves judged apart may both be wrong.
// Any of these is refused with the files and the host or cluster named. Each part's baseline
// comparison (and the change marks on its findings) is left out: it compared that part alone.

/** A result and the file it was read from. */
export interface ResultPart {
  file: string;
  result: ScanResult;
}

/** The merged result, and what the person asking should know about it. */
export interface Merged {
  result: ScanResult;
  notes: string[];
}

const PROBLEMS_SHOWN = 10;

/** Merges `parts` into one result; throws `ResultFileError` naming the files when they do not fit together. */
export function mergeResults(parts: readonly ResultPart[]): Merged {
  const [first, ...rest] = parts;
  if (first === undefined) throw new Error('mergeResults needs at least one result');
  if (rest.length === 0) return { result: first.result, notes: [] };

  const problems = [...benchmarkProblems(parts), ...hostProblems(parts), ...clusterProblems(parts)];
  if (problems.length > 0) {
    const more = problems.length > PROBLEMS_SHOWN ? `\n  … and ${problems.length - PROBLEMS_SHOWN} more` : '';
    throw new ResultFileError(
      `these results cannot be merged into one report:${problems
        .slice(0, PROBLEMS_SHOWN)
        .map((p) => `\n  ${p}`)
        .join('')}${more}`,
    );
  }

  const seen = new Set<string>();
  const hosts: HostOutcome[] = [];
  const findings: Finding[] = [];
  for (const { result } of parts) {
    const byHost = groupBy(result.findings, (f) => f.host);
    for (const host of result.hosts) {
      if (seen.has(host.name.toLowerCase())) continue;
      seen.add(host.name.toLowerCase());
      hosts.push(host);
      for (const finding of byHost.get(host.name) ?? []) findings.push(withoutChange(finding));
    }
  }
  const clusters = new Map<string, ClusterSummary>();
  for (const { result } of parts) for (const cluster of result.clusters) if (!clusters.has(cluster.name)) clusters.set(cluster.name, cluster);
  const expired = unique(parts.flatMap(({ result }) => result.expiredWaivers ?? []));
  const result: ScanResult = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'fleetbench', version: VERSION },
    benchmark: first.result.benchmark,
    startedAt: parts.map(({ result }) => result.startedAt).reduce((a, b) => (b < a ? b : a)),
    finishedAt: parts.map(({ result }) => result.finishedAt).reduce((a, b) => (b > a ? b : a)),
    inventory: [...new Set(parts.map(({ result }) => result.inventory))].join(', '),
    clusters: [...clusters.values()],
    hosts,
    findings,
    mergedFrom: parts.flatMap(sourcesOf),
  };
  if (expired.length > 0) result.expiredWaivers = expired;
  if (parts.some(({ result }) => result.interrupted)) result.interrupted = true;
  const compared = parts.filter(({ result }) => result.baseline !== undefined).map(({ file }) => file);
  const notes =
    compared.length === 0
      ? []
      : [
          escaped`${compared.join(', ')} ${compared.length === 1 ? 'was' : 'were'} compared with a baseline of ${compared.length === 1 ? 'its' : 'their'} own; the merged report leaves that out: compare it with --baseline`,
        ];
  return { result, notes };
}

function benchmarkProblems(parts: readonly ResultPart[]): string[] {
  const [first] = parts;
  return parts
    .filter(({ result }) => result.benchmark !== first?.result.benchmark)
    .map(
      ({ file, result }) =>
        escaped`${file} is numbered for ${result.benchmark} and ${first?.file} for ${first?.result.benchmark}: merge results of scans with the same --benchmark`,
    );
}

/** Hosts that two parts give different outcomes or findings. */
function hostProblems(parts: readonly ResultPart[]): string[] {
  const first = new Map<string, { file: string; host: HostOutcome; verdict: string }>();
  const problems: string[] = [];
  for (const { file, result } of parts) {
    const byHost = groupBy(result.findings, (f) => f.host);
    for (const host of result.hosts) {
      const verdict = verdictOf(host, byHost.get(host.name) ?? []);
      const earlier = first.get(host.name.toLowerCase());
      if (earlier === undefined) first.set(host.name.toLowerCase(), { file, host, verdict });
      else if (earlier.verdict !== verdict) {
        problems.push(
          escaped`host ${host.name} is in ${earlier.file} and in ${file} with different outcomes or findings: keep the one that is right (the later scan, usually) and leave the host out of the other with --limit '!${host.name}'`,
        );
      }
    }
  }
  return problems;
}

/** Clusters whose hosts come from more than one part (a part repeating another's hosts exactly is no split). */
function clusterProblems(parts: readonly ResultPart[]): string[] {
  const byCluster = new Map<string, { file: string; hosts: string[] }[]>();
  for (const { file, result } of parts) {
    for (const [cluster, hosts] of groupBy(result.hosts, (h) => h.cluster)) {
      const names = hosts.map((h) => h.name);
      const key = (list: string[]) => JSON.stringify(list.map((name) => name.toLowerCase()).sort());
      const seen = byCluster.get(cluster) ?? [];
      if (!seen.some((earlier) => key(earlier.hosts) === key(names))) seen.push({ file, hosts: names });
      byCluster.set(cluster, seen);
    }
  }
  return [...byCluster]
    .filter(([, seen]) => seen.length > 1)
    .map(([cluster, seen]) => {
      const where = seen.map(({ file, hosts }) => escaped`${file} (${hosts.join(', ')})`).join(' and ');
      return (
        escaped`cluster ${cluster} has hosts in ` +
        where +
        escaped`: its facts (etcd member count, membership, shared CAs) need all its hosts in one scan; scan it whole in one of them (--limit ${cluster})`
      );
    });
}

/** What a host's scan concluded, as text to compare: its outcome (but for timings) and its findings. */
function verdictOf(host: HostOutcome, findings: readonly Finding[]): string {
  const { durationMs: _duration, attempts: _attempts, ...outcome } = host;
  return canonicalJson([outcome, findings.map(withoutChange).map(canonicalJson).sort()]);
}

function withoutChange(finding: Finding): Finding {
  const { change: _change, ...rest } = finding;
  return rest;
}

function sourcesOf({ file, result }: ResultPart): MergedSource[] {
  if (result.mergedFrom !== undefined) return result.mergedFrom;
  const source: MergedSource = { file, inventory: result.inventory, startedAt: result.startedAt, finishedAt: result.finishedAt, hosts: result.hosts.length };
  if (result.selection !== undefined) source.selection = result.selection;
  return [source];
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [canonicalJson(item), item])).values()];
}
