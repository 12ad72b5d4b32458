import type { CheckInput, Verdict } from './verdict.js';

// Whether the etcd cluster a host belongs to has the members the inventory says. cluster.ts
// compares the inventory with every member's --initial-cluster and the live member list; each
// disagreement is put on the host whose configuration or member list showed it.

export function checkMembership({ host, cluster }: CheckInput): Verdict {
  const issues = cluster.issues.filter((issue) => issue.host === host);
  if (issues.length === 0) {
    return {
      status: 'PASS',
      reason: `nothing this host's etcd knows of its cluster disagrees with the inventory (${cluster.basis})`,
      evidence: [],
      actual: 'agrees',
      values: 'agrees',
    };
  }
  return {
    status: 'WARN',
    reason: issues.map((issue) => issue.message).join('; '),
    evidence: issues.flatMap((issue) => issue.evidence),
    actual: issues.map((issue) => issue.message).join('; '),
    values: issues.map((issue) => issue.message).join('; '),
  };
}
