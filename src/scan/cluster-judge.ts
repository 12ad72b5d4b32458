import { groupBy } from '../group-by.js';
import type { ClusterSummary, Finding, HostOutcome, HostSnapshot, Target } from '../model.js';
import type { HostComponents } from '../effective/host-components.js';
import type { BenchmarkVersion } from '../rules/benchmarks.js';
import { clusterFacts } from '../rules/cluster.js';
import type { ClusterHost } from '../rules/cluster.js';
import { evaluateHost, unscannedFindings } from '../rules/evaluate.js';
import type { Rule } from '../rules/rule-file.js';
import { FindingStore } from './finding-store.js';

/** What one host's scan left: its outcome and, when it was reached, what it returned. */
export interface HostDone {
  outcome: HostOutcome;
  snapshot?: HostSnapshot;
  components?: HostComponents;
}

/**
 * Judges each cluster once its last host is done: cluster facts (member count, CAs) need every
 * member. Keeps the outcomes and the (compressed) findings; drops what the hosts returned once their
 * cluster is judged, so that a 10,000-host scan never holds 10,000 snapshots.
 */
export class ClusterJudge {
  private readonly clusters: Map<string, Target[]>;
  private readonly waiting: Map<string, number>;
  private readonly done = new Map<string, HostDone>();
  private readonly store = new FindingStore();
  private readonly summary = new Map<string, ClusterSummary>();

  private readonly peers: Map<string, Target[]>;

  /** `peers`: hosts of the same clusters in the inventory that are not scanned (--limit), for the clusters' facts. */
  constructor(
    private readonly targets: Target[],
    private readonly rules: Rule[],
    private readonly benchmark: BenchmarkVersion,
    peers: readonly Target[] = [],
  ) {
    this.clusters = groupBy(targets, (target) => target.cluster);
    this.peers = groupBy(peers, (target) => target.cluster);
    this.waiting = new Map([...this.clusters].map(([name, members]) => [name, members.length]));
  }

  /** Records a host; when it was its cluster's last, judges the cluster and returns its findings. */
  hostDone(target: Target, done: HostDone): { cluster: string; findings: Finding[] } | undefined {
    this.done.set(target.name, done);
    const left = this.waiting.get(target.cluster)! - 1;
    this.waiting.set(target.cluster, left);
    if (left > 0) return undefined;
    return { cluster: target.cluster, findings: this.judge(target.cluster) };
  }

  private judge(name: string): Finding[] {
    const members = this.clusters.get(name)!;
    const hosts = members.map((target): ClusterHost => {
      const { snapshot, components } = this.done.get(target.name)!;
      return { target, ...(snapshot ? { snapshot } : {}), ...(components ? { components } : {}) };
    });
    // Peers were not scanned: they count as the inventory lists them, as an unreachable member does.
    const peers = this.peers.get(name) ?? [];
    const facts = clusterFacts(name, [...hosts, ...peers.map((target) => ({ target }))]);
    const summary: ClusterSummary = { name, inventoryMembers: facts.inventoryMembers, memberCount: facts.memberCount, memberCountBasis: facts.basis };
    if (peers.length > 0) summary.notScanned = peers.map((target) => target.name);
    this.summary.set(name, summary);
    const findings = hosts.flatMap(({ target, snapshot, components }) =>
      snapshot && components
        ? evaluateHost(this.rules, { target, snapshot, components, cluster: facts, benchmark: this.benchmark })
        : unscannedFindings(this.rules, target, this.done.get(target.name)!.outcome.error ?? 'unknown error', this.benchmark),
    );
    this.store.put(name, findings);
    for (const target of members) {
      const done = this.done.get(target.name)!;
      delete done.snapshot;
      delete done.components;
    }
    return findings;
  }

  summaries(): ClusterSummary[] {
    return [...this.clusters.keys()].map((name) => this.summary.get(name)!);
  }

  outcomes(): HostOutcome[] {
    return this.targets.map((target) => this.done.get(target.name)!.outcome);
  }

  findings(): Finding[] {
    return this.store.unpack(this.clusters.keys());
  }
}
