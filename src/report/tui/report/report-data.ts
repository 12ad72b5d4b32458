import { severity } from '../../../status.js';
import { groupBy } from '../../../group-by.js';
import type { ClusterSummary, Finding, ScanResult, Status } from '../../../model.js';
import { compareControls } from '../../control-order.js';
import type { HostSummary, StatusCounts } from '../../summary.js';
import { countStatuses, hostSummaries } from '../../summary.js';
import { coverageAndWaiverNotes } from '../../coverage.js';
import type { CoverageNote } from '../../coverage.js';

// The scan result rearranged the ways an auditor reads it: by cluster and host, worst first, and
// by control. Computed once when the report opens; the views only select from it.

export interface ClusterGroup {
  name: string;
  summary?: ClusterSummary;
  /**
   * A cluster's hosts that could not be audited: such groups come first, above every cluster, so
   * that no unreachable host is ever below the fold. The cluster's other hosts are in its ordinary
   * group, further down.
   */
  notAudited: boolean;
  /** Worst first, as `hostSummaries` orders them. */
  hosts: HostSummary[];
  /** How many hosts of the same cluster are in its other group. */
  elsewhere: number;
  worst: Status;
}

export interface ControlGroup {
  ruleId: string;
  control: string;
  title: string;
  /** One finding per host, worst first, then by cluster and host. */
  findings: Finding[];
  counts: StatusCounts;
  worst: Status;
}

export interface ReportData {
  result: ScanResult;
  /** A finding's position in `result.findings`: its identity, since a rule can find several things on one host. */
  findingIds: ReadonlyMap<Finding, number>;
  clusters: ClusterGroup[];
  hosts: ReadonlyMap<string, HostSummary>;
  /** Each host's findings, worst first, then in control order. */
  findingsByHost: ReadonlyMap<string, Finding[]>;
  /** Worst first, then the most hosts in that state first: what to fix first comes first. */
  controls: ControlGroup[];
  totals: StatusCounts;
  /** What the report does not cover (and waivers that expired): said under the top bar, in full on the help screen. */
  notes: CoverageNote[];
}

export function buildReportData(result: ScanResult): ReportData {
  const summaries = hostSummaries(result);
  const clusterSummaries = groupBy(result.clusters, (cluster) => cluster.name);
  const group = (name: string, hosts: HostSummary[], notAudited: boolean, elsewhere: number): ClusterGroup => {
    const cluster: ClusterGroup = { name, notAudited, hosts, elsewhere, worst: hosts[0]!.worst };
    const summary = clusterSummaries.get(name)?.[0];
    if (summary) cluster.summary = summary;
    return cluster;
  };
  const clusters = [...groupBy(summaries, (s) => s.host.cluster)]
    .flatMap(([name, hosts]): ClusterGroup[] => {
      const notAudited = hosts.filter((s) => !s.host.reached);
      const audited = hosts.filter((s) => s.host.reached);
      return [
        ...(notAudited.length > 0 ? [group(name, notAudited, true, audited.length)] : []),
        ...(audited.length > 0 ? [group(name, audited, false, notAudited.length)] : []),
      ];
    })
    .sort((a, b) => Number(b.notAudited) - Number(a.notAudited) || severity(b.worst) - severity(a.worst) || a.name.localeCompare(b.name));

  const findingsByHost = groupBy(result.findings, (finding) => finding.host);
  for (const list of findingsByHost.values()) list.sort(worstThenControl);

  return {
    result,
    findingIds: new Map(result.findings.map((finding, i) => [finding, i])),
    clusters,
    hosts: new Map(summaries.map((s) => [s.host.name, s])),
    findingsByHost,
    controls: controlGroups(result.findings),
    totals: countStatuses(result.findings),
    notes: coverageAndWaiverNotes(result),
  };
}

function controlGroups(findings: readonly Finding[]): ControlGroup[] {
  return [...groupBy(findings, (finding) => finding.ruleId).values()]
    .map((list): ControlGroup => {
      const sorted = [...list].sort((a, b) => severity(b.status) - severity(a.status) || a.cluster.localeCompare(b.cluster) || a.host.localeCompare(b.host));
      const first = sorted[0]!;
      return { ruleId: first.ruleId, control: first.control, title: first.title, findings: sorted, counts: countStatuses(sorted), worst: first.status };
    })
    .sort((a, b) => severity(b.worst) - severity(a.worst) || b.counts[b.worst] - a.counts[a.worst] || compareControls(a.control, b.control));
}

function worstThenControl(a: Finding, b: Finding): number {
  return severity(b.status) - severity(a.status) || compareControls(a.control, b.control) || a.ruleId.localeCompare(b.ruleId);
}
