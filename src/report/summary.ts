import { STATUSES, severity } from '../status.js';
import type { Finding, HostOutcome, ScanResult, Status } from '../model.js';
import { groupBy } from '../group-by.js';

export type StatusCounts = Record<Status, number>;

export function countStatuses(findings: readonly Finding[]): StatusCounts {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const finding of findings) counts[finding.status] += 1;
  return counts;
}

/** What the probe could not read on a reached host, `subject: reason; …`; empty when it read everything. */
export function unreadNote(host: HostOutcome): string {
  return host.problems.map((p) => `${p.subject}: ${p.reason}`).join('; ');
}

export interface HostSummary {
  host: HostOutcome;
  counts: StatusCounts;
  worst: Status;
}

/** Hosts with their counts, worst first (then cluster and host name), as auditors triage. */
export function hostSummaries(result: ScanResult): HostSummary[] {
  const byHost = groupBy(result.findings, (finding) => finding.host);
  return result.hosts
    .map((host) => {
      const counts = countStatuses(byHost.get(host.name) ?? []);
      const worst = STATUSES.filter((s) => counts[s] > 0).sort((a, b) => severity(b) - severity(a))[0] ?? 'NOT_APPLICABLE';
      return { host, counts, worst: host.reached ? worst : 'ERROR' };
    })
    .sort((a, b) => severity(b.worst) - severity(a.worst) || a.host.cluster.localeCompare(b.host.cluster) || a.host.name.localeCompare(b.host.name));
}
