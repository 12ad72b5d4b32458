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

// A host that was not reached (unreachable, not scanned because the scan was interrupted, or
// whose probe failed) was not audited at all: every control of it is ERROR for that one reason.
// The reports put such hosts first and say so once per host, instead of once per control.

/** `not audited: connection refused by …`: why none of a host's controls could be checked. */
export function notAuditedNote(host: HostOutcome): string {
  return `not audited: ${host.error ?? 'unknown reason'}`;
}

export interface HostSummary {
  host: HostOutcome;
  counts: StatusCounts;
  worst: Status;
}

/**
 * Hosts with their counts as auditors triage: the hosts that could not be audited first (a FAIL
 * elsewhere must not push them out of sight), then worst first, then by cluster and host name.
 */
export function hostSummaries(result: ScanResult): HostSummary[] {
  const byHost = groupBy(result.findings, (finding) => finding.host);
  return result.hosts
    .map((host) => {
      const counts = countStatuses(byHost.get(host.name) ?? []);
      const worst = STATUSES.filter((s) => counts[s] > 0).sort((a, b) => severity(b) - severity(a))[0] ?? 'NOT_APPLICABLE';
      return { host, counts, worst: host.reached ? worst : 'ERROR' };
    })
    .sort(
      (a, b) =>
        Number(a.host.reached) - Number(b.host.reached) ||
        severity(b.worst) - severity(a.worst) ||
        a.host.cluster.localeCompare(b.host.cluster) ||
        a.host.name.localeCompare(b.host.name),
    );
}
