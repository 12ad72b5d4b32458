import { COUNT_ORDER, needsAttention, STATUS_LABEL } from '../status.js';
import type { Finding, ScanResult, Status } from '../model.js';
import { columns } from './columns.js';
import { waiverNote } from './finding-notes.js';
import { countStatuses, hostSummaries, unreadNote } from './summary.js';
import { escaped, safeLine } from './terminal-text.js';

// The plain report: for a terminal, a cron mail or a pipe. Every string of the result is escaped
// where it is written, in `table` or by `escaped`, whichever field it comes from: a saved result
// file (fleetbench report, --baseline) can put anything in any field. Only the status labels, in
// their colors, are our own.

export interface TextOptions {
  color: boolean;
  /** Also list PASS and NOT_APPLICABLE findings. */
  all: boolean;
}

const COLORS: Record<Status, string> = { PASS: '32', FAIL: '31;1', WARN: '33', NOT_APPLICABLE: '2', ERROR: '35;1' };

export function renderText(result: ScanResult, options: TextOptions): string {
  const paint = (status: Status, text: string) => (options.color ? `\u001b[${COLORS[status]}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  lines.push(
    escaped`fleetbench ${result.tool.version} · CIS Kubernetes Benchmark ${result.benchmark.replace(/^cis-/, '')} · ` +
      escaped`${result.hosts.length} hosts in ${result.clusters.length} clusters · ${result.startedAt} · ${seconds.toFixed(1)} s`,
    '',
    'HOSTS',
  );
  const hostRows = hostSummaries(result).map(({ host, counts, worst }) => [
    worst,
    host.cluster,
    host.name,
    `${host.address}:${host.port}`,
    ...COUNT_ORDER.map((status) => String(counts[status])),
    host.reached ? unreadNote(host) : (host.error ?? ''),
  ]);
  const countColumns = COUNT_ORDER.map((_, i) => 4 + i);
  lines.push(...table(['STATUS', 'CLUSTER', 'HOST', 'ADDRESS', ...COUNT_ORDER.map((s) => STATUS_LABEL[s]), 'NOTE'], hostRows, paint, countColumns));

  const reached = new Set(result.hosts.filter((h) => h.reached).map((h) => h.name));
  const shown = result.findings.filter((f) => reached.has(f.host) && (options.all || needsAttention(f.status)));
  lines.push('', options.all ? 'FINDINGS' : 'FINDINGS (FAIL, WARN, ERROR; --all lists every finding)');
  if (shown.length === 0) lines.push('  none');
  else lines.push(...table(['STATUS', 'HOST', 'CONTROL', 'RULE', 'REASON'], shown.map(findingRow), paint, []));
  lines.push(...waivedLines(result), ...expiredWaiverLines(result), ...baselineLines(result, paint));

  lines.push('', 'ETCD CLUSTERS');
  for (const cluster of result.clusters) {
    lines.push(escaped`  ${cluster.name}: ${cluster.memberCount} member(s) (${cluster.memberCountBasis})`);
  }
  const counts = countStatuses(result.findings);
  const waived = result.findings.filter((f) => f.waiver).length;
  lines.push('', `TOTAL  ${COUNT_ORDER.map((s) => paint(s, `${counts[s]} ${STATUS_LABEL[s]}`)).join(' · ')}` + (waived > 0 ? ` (${waived} waived)` : ''));
  return `${lines.join('\n')}\n`;
}

function findingRow(finding: Finding): string[] {
  // Only what needs attention is marked: an unchanged finding reads as before.
  const marks = [finding.change === 'unchanged' ? undefined : finding.change, finding.waiver && 'waived'].filter(Boolean);
  const prefix = marks.length > 0 ? `[${marks.join(', ')}] ` : '';
  return [finding.status, finding.host, finding.control, finding.ruleId, prefix + finding.reason];
}

function waivedLines(result: ScanResult): string[] {
  const waived = result.findings.filter((f) => f.waiver);
  if (waived.length === 0) return [];
  return [
    '',
    'WAIVED (accepted risks: reported, but they do not fail the run)',
    ...waived.map((f) => escaped`  ${f.host}  ${f.control} ${f.ruleId}  ${f.status}  ${waiverNote(f.waiver!)}`),
  ];
}

function expiredWaiverLines(result: ScanResult): string[] {
  const expired = result.expiredWaivers ?? [];
  if (expired.length === 0) return [];
  return [
    '',
    'EXPIRED WAIVERS (no longer applied: renew or remove them)',
    ...expired.map((w) => escaped`  ${w.rule} ${w.hosts}: expired after ${w.expires} (${w.source}): ${w.justification}`),
  ];
}

function baselineLines(result: ScanResult, paint: (status: Status, text: string) => string): string[] {
  const baseline = result.baseline;
  if (baseline === undefined) return [];
  const { counts } = baseline;
  return [
    '',
    escaped`CHANGES SINCE BASELINE ${baseline.file} (scan of ${baseline.startedAt})`,
    escaped`  ${counts.new} new · ${counts.changed} changed · ${counts.unchanged} unchanged · ${counts.resolved} resolved`,
    ...baseline.resolved.map((f) => `  resolved: was ${paint(f.status, STATUS_LABEL[f.status])}` + escaped`  ${f.host}  ${f.control} ${f.ruleId}  ${f.reason}`),
  ];
}

/** The report's tables: the first column is a status, shown by its label in its color; every other cell is escaped. */
function table(header: string[], rows: string[][], paint: (status: Status, text: string) => string, rightAligned: number[]): string[] {
  const labelled = rows.map(([status, ...rest]) => [STATUS_LABEL[status as Status], ...rest.map(safeLine)]);
  const decorate = (padded: string, row: number, column: number) => (column === 0 ? paint(rows[row]![0] as Status, padded) : padded);
  return columns(header, labelled, { rightAligned, decorate });
}
