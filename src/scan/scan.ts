import pLimit from 'p-limit';
import type { BenchmarkVersion } from '../rules/benchmarks.js';
import type { Finding, HostOutcome, Inventory, ScanResult, Target } from '../model.js';
import type { Rule } from '../rules/rule-file.js';
import { connectWithRetries } from '../ssh/connect.js';
import type { SshOptions } from '../ssh/connect.js';
import { classify, HostError } from '../ssh/errors.js';
import { HandshakeGate } from '../ssh/handshake-gate.js';
import { JumpPool } from '../ssh/jump-pool.js';
import { DEFAULT_RETRY } from '../ssh/retry.js';
import type { CollectOptions } from './collect-host.js';
import { collectHost } from './collect-host.js';
import { ClusterJudge } from './cluster-judge.js';
import type { HostDone, JudgedCluster } from './cluster-judge.js';
import { collectIfLarge } from './heap.js';
import { MemberListClaims } from './member-list-claims.js';
import { ResultCollector } from './result-collector.js';

export interface ScanOptions extends CollectOptions {
  inventory: Inventory;
  /** Hosts of the inventory's clusters that are not scanned (--limit): the clusters' facts count them as members. */
  clusterPeers?: Target[];
  rules: Rule[];
  benchmark: BenchmarkVersion;
  concurrency: number;
  onEvent?: (event: ScanEvent) => void;
}

export type ScanEvent =
  | { type: 'host-started'; host: string; at: number }
  | { type: 'host-finished'; outcome: HostOutcome }
  /** A cluster's findings are final once all its hosts are done: cluster size needs every member. */
  | { type: 'cluster-evaluated'; cluster: string; findings: Finding[] };

/** Whatever follows a scan for a person watching: the live view, or a line on stderr. */
export interface ScanProgress {
  update(event: ScanEvent): void;
  /** A message for the person watching, shown without breaking the progress display. */
  note(message: string): void;
  /** Draws the final state (the live view leaves it on the screen as the scan's summary). */
  finish(): Promise<void>;
}

const HOSTS_PER_COLLECTION = 200;

const INTERRUPTED = 'the scan was interrupted before this host finished';

/**
 * Scans every target with bounded concurrency: connect and collect each host, then judge each
 * cluster as soon as its last host is done. A host that fails becomes an ERROR outcome; it never
 * stops the others. When `signal` aborts, hosts not yet finished are reported as not scanned.
 * All in this thread; scanInThreads (threads/scan-in-threads.ts) shares a large fleet between threads.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const collector = new ResultCollector(options.inventory.targets);
  await scanHosts({ ...options, targets: options.inventory.targets }, collectingSink(collector, options.onEvent));
  collectIfLarge();
  return collector.result(options.inventory.source, options.benchmark, options.signal?.aborted ?? false);
}

/** What one thread's share of a scan tells as it goes: to the scan's collector, or to the main thread. */
export interface ScanSink {
  hostStarted(host: string, at: number): void;
  hostFinished(outcome: HostOutcome): void;
  clusterJudged(judged: JudgedCluster): void;
}

/** The sink of a scan's own thread: what it learns goes to the collector, and to whoever watches. */
export function collectingSink(collector: ResultCollector, emit?: (event: ScanEvent) => void): ScanSink {
  return {
    hostStarted: (host, at) => emit?.({ type: 'host-started', host, at }),
    hostFinished: (outcome) => {
      collector.hostFinished(outcome);
      emit?.({ type: 'host-finished', outcome });
    },
    clusterJudged: (judged) => {
      collector.clusterJudged(judged);
      emit?.({ type: 'cluster-evaluated', cluster: judged.summary.name, findings: judged.findings });
    },
  };
}

export type HostsScanOptions = Omit<ScanOptions, 'inventory' | 'onEvent'> & {
  /** Whole clusters: a cluster is judged once all its hosts are done. */
  targets: readonly Target[];
};

/** Scans `targets` in this thread, telling `sink` of each host and each judged cluster. */
export async function scanHosts(options: HostsScanOptions, sink: ScanSink): Promise<void> {
  const limit = pLimit(options.concurrency);
  const ssh = sharedSsh(options);
  const collect: CollectOptions = { ...options, ssh, memberLists: new MemberListClaims() };
  const judge = new ClusterJudge(options.targets, options.rules, options.benchmark, options.clusterPeers);
  let finished = 0;

  const scanOne = async (target: Target) => {
    const done = await scanHost(target, collect, sink);
    sink.hostFinished(done.outcome);
    if (++finished % HOSTS_PER_COLLECTION === 0) collectIfLarge();
    const judged = judge.hostDone(target, done);
    if (judged) sink.clusterJudged(judged);
  };
  try {
    await Promise.all(options.targets.map((target) => limit(() => scanOne(target))));
  } finally {
    ssh.jumps?.close();
  }
}

/**
 * The SSH options every host of one scan shares: one gate on handshakes in flight, and one pool of
 * jump-host connections (a bastion carries the channels of many targets).
 */
function sharedSsh(options: HostsScanOptions): SshOptions {
  const ssh: SshOptions = { ...options.ssh, gate: options.ssh.gate ?? new HandshakeGate(options.concurrency) };
  ssh.jumps = new JumpPool(async (hop, signal) => (await connectWithRetries(hop, ssh, options.retry ?? DEFAULT_RETRY, signal)).value);
  return ssh;
}

/** One host, from connecting to what it returned, or why it could not be scanned. */
async function scanHost(target: Target, options: CollectOptions, sink: ScanSink): Promise<HostDone> {
  if (options.signal?.aborted) return { outcome: outcome(target, 0, { errorKind: 'not-scanned', error: INTERRUPTED }) };
  const started = Date.now();
  sink.hostStarted(target.name, started);
  try {
    const { snapshot, components, attempts } = await collectHost(target, options);
    return {
      outcome: outcome(target, Date.now() - started, { reached: true, privilege: snapshot.privilege, problems: snapshot.problems, attempts }),
      snapshot,
      components,
    };
  } catch (error) {
    const failure = options.signal?.aborted ? new HostError('not-scanned', INTERRUPTED) : classify(error, `${target.address}:${target.port}`);
    return { outcome: outcome(target, Date.now() - started, { errorKind: failure.kind, error: failure.message }) };
  }
}

function outcome(
  target: Target,
  durationMs: number,
  details: Partial<Pick<HostOutcome, 'reached' | 'error' | 'errorKind' | 'privilege' | 'problems' | 'attempts'>>,
): HostOutcome {
  const result: HostOutcome = {
    name: target.name,
    cluster: target.cluster,
    address: target.address,
    port: target.port,
    roles: target.roles,
    reached: details.reached ?? false,
    problems: details.problems ?? [],
    durationMs,
  };
  if (details.error !== undefined) result.error = details.error;
  if (details.errorKind !== undefined) result.errorKind = details.errorKind;
  if (details.privilege !== undefined) result.privilege = details.privilege;
  if (details.attempts !== undefined) result.attempts = details.attempts;
  return result;
}
