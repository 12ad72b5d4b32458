import type { Evidence, HostSnapshot, Status } from '../../model.js';
import type { BenchmarkVersion } from '../benchmarks.js';
import type { ClusterFacts } from '../cluster.js';
import type { ComponentInstance, ResolvedConfig } from '../../effective/host-components.js';
import type { Rule } from '../rule-file.js';
import { worst } from '../../status.js';

/** One check's result on one configuration. `values` is what drift detection compares. */
export interface Verdict {
  status: Status;
  reason: string;
  evidence: Evidence[];
  /** What was found, short: `--auto-tls=true`, `--cert-file not set`, `mode 0644`. */
  actual: string;
  values: string;
}

/** Everything a check may look at: one configuration of one instance, on one host, in one cluster. */
export interface CheckInput {
  rule: Rule;
  config: ResolvedConfig;
  instance: ComponentInstance;
  snapshot: HostSnapshot;
  host: string;
  cluster: ClusterFacts;
  benchmark: BenchmarkVersion;
}

export function combine(verdicts: Verdict[]): Verdict {
  return {
    status: worst(verdicts.map((v) => v.status)),
    reason: verdicts.map((v) => v.reason).join('; '),
    evidence: verdicts.flatMap((v) => v.evidence),
    actual: verdicts.map((v) => v.actual).join(', '),
    values: verdicts.map((v) => v.values).join(' '),
  };
}
