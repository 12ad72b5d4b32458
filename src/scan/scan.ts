import pLimit from 'p-limit';
import { groupBy } from '../group-by.js';
import type { ClusterSummary, Finding, HostOutcome, HostSnapshot, Inventory, ScanResult, Target } from '../model.js';
import type { BenchmarkVersion } from '../rules/benchmarks.js';
import { benchmarkName } from '../rules/benchmarks.js';
import { clusterFacts } from '../rules/cluster.js';
import type { HostComponents } from '../effective/host-components.js';
import { evaluateHost, unscannedFindings } from '../rules/evaluate.js';
import type { Rule } from '../rules/rule-file.js';
import { connectWithRetries } from '../ssh/connect.js';
import type { SshOptions } from '../ssh/connect.js';
import { classify, HostError } from '../ssh/errors.js';
import { HandshakeGate } from '../ssh/handshake-gate.js';
import { JumpPool } from '../ssh/jump-pool.js';
import { DEFAULT_RETRY } from '../ssh/retry.js';
import { SCHEMA_VERSION, VERSION } from '../version.js';
import type { CollectOptions } from './collect-host.js';
import { FindingStore } from './finding-store.js';
import { collectIfLarge } from './heap.js';
import { collectHost } from './collect-host.js';

export interface ScanOptions extends CollectOptions {
  inventory: Inventory;
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

interface Done {
  outcome: HostOutcome;
  snapshot?: HostSnapshot;
  components?: HostComponents;
}

/**
 * Scans every target with bounded concurrency. A host that fails becomes an ERROR outcome; it
 * never stops the others. When `signal` aborts, hosts not yet finished are reported as not scanned.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const { inventory, rules, benchmark } = options;
  const startedAt = new Date();
  const limit = pLimit(options.concurrency);
  const emit = options.onEvent ?? (() => {});
  const done = new Map<string, Done>();
  const clusters = groupBy(inventory.targets, (target) => target.cluster);
  const remaining = new Map([...clusters].map(([name, targets]) => [name, targets.length]));
  const store = new FindingStore();
  const summaries = new Map<string, ClusterSummary>();
  const ssh: SshOptions = { ...options.ssh, gate: options.ssh.gate ?? new HandshakeGate(options.concurrency) };
  ssh.jumps = new JumpPool(async (hop, signal) => (await connectWithRetries(hop, ssh, options.retry ?? DEFAULT_RETRY, signal)).value);
  const memberListClaims = new Set<string>();
  const collectOptions: CollectOptions = {
    ...options,
    ssh,
    claimMemberList: (cluster) => {
      if (memberListClaims.has(cluster)) return false;
      memberListClaims.add(cluster);
      return true;
    },
    releaseMemberList: (cluster) => memberListClaims.delete(cluster),
  };

  const evaluateCluster = (name: string) => {
    const targets = clusters.get(name)!;
    const facts = clusterFacts(
      name,
      targets.map((target) => {
        const entry = done.get(target.name);
        const host: Parameters<typeof clusterFacts>[1][number] = { target };
        if (entry?.components) host.components = entry.components;
        if (entry?.snapshot) host.snapshot = entry.snapshot;
        return host;
      }),
    );
    summaries.set(name, { name, inventoryMembers: facts.inventoryMembers, memberCount: facts.memberCount, memberCountBasis: facts.basis });
    const findings = targets.flatMap((target) => {
      const entry = done.get(target.name)!;
      if (!entry.snapshot || !entry.components) return unscannedFindings(rules, target, entry.outcome.error ?? 'unknown error', benchmark);
      return evaluateHost(rules, { target, snapshot: entry.snapshot, components: entry.components, cluster: facts, benchmark });
    });
    store.put(name, findings);
    // What the hosts returned is no longer needed once the cluster is judged: a 10,000-host scan
    // must not hold 10,000 snapshots.
    for (const target of targets) {
      const entry = done.get(target.name)!;
      delete entry.snapshot;
      delete entry.components;
    }
    emit({ type: 'cluster-evaluated', cluster: name, findings });
  };

  const finishHost = (target: Target, entry: Done) => {
    done.set(target.name, entry);
    if (done.size % HOSTS_PER_COLLECTION === 0) collectIfLarge();
    emit({ type: 'host-finished', outcome: entry.outcome });
    const left = remaining.get(target.cluster)! - 1;
    remaining.set(target.cluster, left);
    if (left === 0) evaluateCluster(target.cluster);
  };

  const scanHost = async (target: Target) => {
    if (options.signal?.aborted) {
      finishHost(target, { outcome: outcome(target, 0, { errorKind: 'not-scanned', error: INTERRUPTED }) });
      return;
    }
    const started = Date.now();
    emit({ type: 'host-started', host: target.name, at: started });
    try {
      const { snapshot, components, attempts } = await collectHost(target, collectOptions);
      const result = outcome(target, Date.now() - started, { reached: true, privilege: snapshot.privilege, problems: snapshot.problems, attempts });
      finishHost(target, { outcome: result, snapshot, components });
    } catch (error) {
      const failure = options.signal?.aborted ? new HostError('not-scanned', INTERRUPTED) : classify(error, `${target.address}:${target.port}`);
      finishHost(target, { outcome: outcome(target, Date.now() - started, { errorKind: failure.kind, error: failure.message }) });
    }
  };

  try {
    await Promise.all(inventory.targets.map((target) => limit(() => scanHost(target))));
  } finally {
    ssh.jumps.close();
  }
  collectIfLarge();

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'fleetbench', version: VERSION },
    benchmark: benchmarkName(benchmark),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    inventory: inventory.source,
    clusters: [...clusters.keys()].map((name) => summaries.get(name)!),
    hosts: inventory.targets.map((t) => done.get(t.name)!.outcome),
    findings: store.unpack(clusters.keys()),
    ...(options.signal?.aborted ? { interrupted: true } : {}),
  };
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
