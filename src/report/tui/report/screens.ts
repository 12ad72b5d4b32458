import type { Finding, Status } from '../../../model.js';
import type { HostSummary } from '../../summary.js';
import type { ClusterGroup, ControlGroup, ReportData } from './report-data.js';

// What each screen lists, given the status filter and the screen's search. Pure: the reducer uses
// it to move the selection, the views to draw the same rows.

export type Screen =
  | { kind: 'hosts' }
  | { kind: 'host'; host: string }
  | { kind: 'controls' }
  | { kind: 'control'; ruleId: string }
  /** `id` is the finding's position in the result (see `ReportData.findingIds`). */
  | { kind: 'finding'; id: number };

export type Row =
  /** A cluster heading in the overview: shown, never selected. */
  | { kind: 'cluster'; key: string; cluster: ClusterGroup; shown: number }
  | { kind: 'host'; key: string; summary: HostSummary }
  | { kind: 'finding'; key: string; id: number; finding: Finding }
  | { kind: 'control'; key: string; control: ControlGroup };

export interface Selection {
  filter?: Status;
  query: string;
}

export function isSelectable(row: Row): boolean {
  return row.kind !== 'cluster';
}

/** The rows a list screen shows; the finding screen is a document and has none. */
export function rowsOf(screen: Screen, data: ReportData, selection: Selection): Row[] {
  const query = selection.query.trim().toLowerCase();
  const matches = (...fields: string[]) => query === '' || fields.some((field) => field.toLowerCase().includes(query));
  const { filter } = selection;
  switch (screen.kind) {
    case 'hosts':
      return data.clusters.flatMap((cluster): Row[] => {
        const hosts = cluster.hosts.filter(
          (s) => (filter === undefined || s.counts[filter] > 0 || s.worst === filter) && matches(s.host.name, s.host.cluster, s.host.address),
        );
        if (hosts.length === 0) return [];
        return [
          { kind: 'cluster', key: `${cluster.notAudited ? 'not-audited' : 'cluster'}:${cluster.name}`, cluster, shown: hosts.length },
          ...hosts.map((summary): Row => ({ kind: 'host', key: `host:${summary.host.name}`, summary })),
        ];
      });
    case 'host':
      return (data.findingsByHost.get(screen.host) ?? [])
        .filter((f) => (filter === undefined || f.status === filter) && matches(f.control, f.ruleId, f.title))
        .map((finding) => findingRow(finding, data));
    case 'controls':
      return data.controls
        .filter((c) => (filter === undefined || c.counts[filter] > 0) && matches(c.control, c.ruleId, c.title))
        .map((control) => ({ kind: 'control', key: `control:${control.ruleId}`, control }));
    case 'control':
      return (data.controls.find((c) => c.ruleId === screen.ruleId)?.findings ?? [])
        .filter((f) => (filter === undefined || f.status === filter) && matches(f.host, f.cluster))
        .map((finding) => findingRow(finding, data));
    case 'finding':
      return [];
  }
}

function findingRow(finding: Finding, data: ReportData): Row {
  const id = data.findingIds.get(finding)!;
  return { kind: 'finding', key: `finding:${id}`, id, finding };
}

/** The screen Enter opens from a row, if any. */
export function screenBehind(row: Row): Screen | undefined {
  switch (row.kind) {
    case 'host':
      return { kind: 'host', host: row.summary.host.name };
    case 'control':
      return { kind: 'control', ruleId: row.control.ruleId };
    case 'finding':
      return { kind: 'finding', id: row.id };
    case 'cluster':
      return undefined;
  }
}

export function findingOf(screen: Extract<Screen, { kind: 'finding' }>, data: ReportData): Finding | undefined {
  return data.result.findings[screen.id];
}
