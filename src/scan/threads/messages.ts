import type { ClusterSummary, Finding, HostOutcome, Target } from '../../model.js';
import type { BenchmarkVersion } from '../../rules/benchmarks.js';
import type { Rule } from '../../rules/rule-file.js';
import type { HostKeyDecision } from '../../ssh/first-use.js';
import type { SshSetup } from '../../ssh/ssh-setup.js';

// What the main thread and a scan thread tell each other. Everything is plain data (structured
// clone); findings travel packed (packFindings), in a buffer handed over rather than copied.

/** A scan thread's share of the scan, as it starts. */
export interface ThreadTask {
  targets: Target[];
  /** Hosts of its clusters that --limit left out, for the clusters' facts. */
  clusterPeers: Target[];
  rules: Rule[];
  benchmark: BenchmarkVersion;
  concurrency: number;
  setup: SshSetup;
  hostTimeoutMs: number;
  maxOutputBytes: number;
  sudoPassword?: string;
  /** Whether someone watches the scan (the live view, -v): only then are findings also sent unpacked. */
  events: boolean;
}

export type ToThread =
  /** The scan was interrupted: hosts not finished are reported as not scanned. */
  | { type: 'abort' }
  /** The process is about to exit: end every ProxyCommand now, then say so. */
  | { type: 'stop' }
  | { type: 'trusted'; id: number; decision: HostKeyDecision };

export type FromThread =
  | { type: 'host-started'; host: string; at: number }
  | { type: 'host-finished'; outcome: HostOutcome }
  | { type: 'cluster-judged'; summary: ClusterSummary; packed: Uint8Array; findings?: Finding[] }
  /** Asks the main thread to trust a host key on first use: one decision per name for the whole scan. */
  | { type: 'trust'; id: number; recordTo: string | undefined; host: string; port: number; key: Uint8Array }
  | { type: 'done' }
  | { type: 'stopped' };
