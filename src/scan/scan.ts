import pLimit from 'p-limit';
import type { BenchmarkVersion } from '../rules/benchmarks.js';
import { benchmarkName } from '../rules/benchmarks.js';
import type { Finding, HostOutcome, Inventory, ScanResult, Target } from '../model.js';
import type { Rule } from '../rules/rule-file.js';
import { connectWithRetries } from '../ssh/connect.js';
import type { SshOptions } from '../ssh/connect.js';
import { classify, HostError } from '../ssh/errors.js';
import { HandshakeGate } from '../ssh/handshake-gate.js';
import { JumpPool } from '../ssh/jump-pool.js';
import { DEFAULT_RETRY } from '../ssh/retry.js';
import { SCHEMA_VERSION, VERSION } from '../version.js';
import type { CollectOptions } from './collect-host.js';
import { collectHost } from './collect-host.js';
import { ClusterJudge } from './cluster-judge.js';
import type { HostDone } from './cluster-judge.js';
import { collectIfLarge } from './heap.js';
import { MemberListClaims } from './member-list-claims.js';

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
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const { inventory } = options;
  const startedAt = new Date();
  const emit = options.onEvent ?? (() => {});
  const limit = pLimit(options.concurrency);
  const ssh = sharedSsh(options);
  const collect: CollectOptions = { ...options, ssh, memberLists: new MemberListClaims() };
  const judge = new ClusterJudge(inventory.targets, options.rules, options.benchmark, options.clusterPeers);
  let finished = 0;

  const scanOne = async (target: Target) => {
    const done = await scanHost(target, collect, emit);
    emit({ type: 'host-finished', outcome: done.outcome });
    if (++finished % HOSTS_PER_COLLECTION === 0) collectIfLarge();
    const judged = judge.hostDone(target, done);
    if (judged) emit({ type: 'cluster-evaluated', cluster: judged.cluster, findings: judged.findings });
  };
  try {
    await Promise.all(inventory.targets.map((target) => limit(() => scanOne(target))));
  } finally {
    ssh.jumps?.close();
  }
  collectIfLarge();

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'fleetbench', version: VERSION },
    benchmark: benchmarkName(options.benchmark),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    inventory: inventory.source,
    clusters: judge.summaries(),
    hosts: judge.outcomes(),
    findings: judge.findings(),
    ...(options.signal?.aborted ? { interrupted: true } : {}),
  };
}

/**
 * The SSH options every host of one scan shares: one gate on handshakes in flight, and one pool of
 * jump-host connections (a bastion carries the channels of many targets).
 */
function sharedSsh(options: ScanOptions): SshOptions {
  const ssh: SshOptions = { ...options.ssh, gate: options.ssh.gate ?? new HandshakeGate(options.concurrency) };
  ssh.jumps = new JumpPool(async (hop, signal) => (await connectWithRetries(hop, ssh, options.retry ?? DEFAULT_RETRY, signal)).value);
  return ssh;
}

/** One host, from connecting to what it returned, or why it could not be scanned. */
async function scanHost(target: Target, options: CollectOptions, emit: (event: ScanEvent) => void): Promise<HostDone> {
  if (options.signal?.aborted) return { outcome: outcome(target, 0, { errorKind: 'not-scanned', error: INTERRUPTED }) };
  const started = Date.now();
  emit({ type: 'host-started', host: target.name, at: started });
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
