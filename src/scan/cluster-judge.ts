import { groupBy } from '../group-by.js';
import type { ClusterSummary, Finding, HostOutcome, HostSnapshot, Target } from '../model.js';
import type { HostComponents } from '../effective/host-components.js';
import type { BenchmarkVersion } from '../rules/benchmarks.js';
import { clusterFacts } from '../rules/cluster.js';
import type { ClusterHost } from '../rules/cluster.js';
import { evaluateHost, unscannedFindings } from '../rules/evaluate.js';
import type { Rule } from '../rules/rule-file.js';

/** What one host's scan left: its outcome and, when it was reached, what it returned. */
export interface HostDone {
  outcome: HostOutcome;
  snapshot?: HostSnapshot;
  components?: HostComponents;
}

/** A cluster's verdicts: its facts and every finding of its hosts. */
export interface JudgedCluster {
  summary: ClusterSummary;
  findings: Finding[];
}

/**
 * Judges each cluster once its last host is done: cluster facts (member count, CAs) need every
 * member. Drops what the hosts returned once their cluster is judged, so that a 10,000-host scan
 * never holds 10,000 snapshots.
 */
export class ClusterJudge {
  private readonly clusters: Map<string, Target[]>;
  private readonly waiting: Map<string, number>;
  private readonly done = new Map<string, HostDone>();

  private readonly peers: Map<string, Target[]>;

  /** `peers`: hosts of the same clusters in the inventory that are not scanned (--limit), for the clusters' facts. */
  constructor(
    targets: readonly Target[],
    private readonly rules: Rule[],
    private readonly benchmark: BenchmarkVersion,
    peers: readonly Target[] = [],
  ) {
    this.clusters = groupBy(targets, (target) => target.cluster);
    this.peers = groupBy(peers, (target) => target.cluster);
    this.waiting = new Map([...this.clusters].map(([name, members]) => [name, members.length]));
  }

  /** Records a host; when it was its cluster's last, judges the cluster. */
  hostDone(target: Target, done: HostDone): JudgedCluster | undefined {
    this.done.set(target.name, done);
    const left = this.waiting.get(target.cluster)! - 1;
    this.waiting.set(target.cluster, left);
    if (left > 0) return undefined;
    return this.judge(target.cluster);
  }

  private judge(name: string): JudgedCluster {
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
    const findings = hosts.flatMap(({ target, snapshot, components }) =>
      snapshot && components
        ? evaluateHost(this.rules, { target, snapshot, components, cluster: facts, benchmark: this.benchmark })
        : unscannedFindings(this.rules, target, this.done.get(target.name)!.outcome.error ?? 'unknown error', this.benchmark),
    );
    for (const target of members) this.done.delete(target.name);
    return { summary, findings };
  }
}
