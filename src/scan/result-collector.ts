import type { ClusterSummary, HostOutcome, ScanResult, Target } from '../model.js';
import { benchmarkName } from '../rules/benchmarks.js';
import type { BenchmarkVersion } from '../rules/benchmarks.js';
import { SCHEMA_VERSION, VERSION } from '../version.js';
import type { JudgedCluster } from './cluster-judge.js';
import { FindingStore } from './finding-store.js';

/**
 * What a scan keeps while it runs, in whatever order hosts finish and clusters are judged (and in
 * whichever thread): host outcomes, cluster summaries and findings (compressed). The result lists
 * them in inventory order, so that it does not depend on timing or on how the hosts were shared
 * between threads.
 */
export class ResultCollector {
  private readonly outcomes = new Map<string, HostOutcome>();
  private readonly summaries = new Map<string, ClusterSummary>();
  private readonly store = new FindingStore();
  private readonly startedAt = new Date();

  constructor(private readonly targets: readonly Target[]) {}

  hostFinished(outcome: HostOutcome): void {
    this.outcomes.set(outcome.name, outcome);
  }

  clusterJudged({ summary, findings }: JudgedCluster): void {
    this.summaries.set(summary.name, summary);
    this.store.put(summary.name, findings);
  }

  /** A cluster judged in another thread, its findings already packed (packFindings). */
  clusterJudgedPacked(summary: ClusterSummary, packed: Uint8Array): void {
    this.summaries.set(summary.name, summary);
    this.store.putPacked(summary.name, packed);
  }

  result(inventory: string, benchmark: BenchmarkVersion, interrupted: boolean): ScanResult {
    const clusters = [...new Set(this.targets.map((target) => target.cluster))];
    return {
      schemaVersion: SCHEMA_VERSION,
      tool: { name: 'fleetbench', version: VERSION },
      benchmark: benchmarkName(benchmark),
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      inventory,
      clusters: clusters.map((name) => this.summaries.get(name)!),
      hosts: this.targets.map((target) => this.outcomes.get(target.name)!),
      findings: this.store.unpack(clusters),
      ...(interrupted ? { interrupted: true } : {}),
    };
  }
}
