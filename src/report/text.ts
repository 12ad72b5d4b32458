import { COUNT_ORDER, needsAttention, STATUS_LABEL } from '../status.js';
import type { Finding, ScanResult, Status } from '../model.js';
import { groupBy } from '../group-by.js';
import { shellQuoteIfNeeded } from '../shell-quote.js';
import { columns } from './columns.js';
import { clusterCoverage, coverageNotes } from './coverage.js';
import { expiredWaiverNote, waiverNote } from './finding-notes.js';
import { countStatuses, hostSummaries, notAuditedNote, unreadNote } from './summary.js';
import type { HostSummary } from './summary.js';
import { escaped, safeLine } from './terminal-text.js';

// The plain report: for a terminal, a cron mail or a pipe. Every string of the result is escaped
// where it is written, in `table` or by `escaped`, whichever field it comes from: a saved result
// file (fleetbench report, --baseline) can put anything in any field. Only the status labels, in
// their colors, are our own.

export interface TextOptions {
  color: boolean;
  /** Also list PASS and NOT_APPLICABLE findings. */
  all: boolean;
  /** The report is on stdout for a person: end with where to go next. */
  nextSteps?: NextSteps;
}

export interface NextSteps {
  /** `scan` (and `demo`) can still take -o; `report` reads a saved result. */
  command: 'scan' | 'report';
  /** The saved JSON results this report can be opened from again, if there are any. */
  resultFiles?: readonly string[];
  /** The HTML report written alongside, if there is one. */
  htmlFile?: string;
}

const COLORS: Record<Status, string> = { PASS: '32', FAIL: '31;1', WARN: '33', NOT_APPLICABLE: '2', ERROR: '35;1' };

type Paint = (status: Status, text: string) => string;

export function renderText(result: ScanResult, options: TextOptions): string {
  const paint: Paint = (status, text) => (options.color ? `\u001b[${COLORS[status]}m${text}\u001b[0m` : text);
  const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  const summaries = hostSummaries(result);
  const notAudited = summaries.filter((s) => !s.host.reached);
  const lines = [
    escaped`fleetbench ${result.tool.version} · CIS Kubernetes Benchmark ${result.benchmark.replace(/^cis-/, '')} · ` +
      escaped`${result.hosts.length} hosts in ${result.clusters.length} clusters · ${result.startedAt} · ${seconds.toFixed(1)} s`,
    '',
    ...coverageLines(result),
    notAudited.length === 0
      ? 'HOSTS'
      : `HOSTS (${notAudited.length} of ${result.hosts.length} NOT AUDITED, listed first: none of their controls could be checked)`,
  ];
  const hostRows = summaries.map(({ host, counts, worst }) => [
    worst,
    host.cluster,
    host.name,
    `${host.address}:${host.port}`,
    ...COUNT_ORDER.map((status) => String(counts[status])),
    host.reached ? unreadNote(host) : notAuditedNote(host),
  ]);
  const countColumns = COUNT_ORDER.map((_, i) => 4 + i);
  lines.push(...table(['STATUS', 'CLUSTER', 'HOST', 'ADDRESS', ...COUNT_ORDER.map((s) => STATUS_LABEL[s]), 'NOTE'], hostRows, paint, countColumns));

  lines.push('', options.all ? 'FINDINGS' : 'FINDINGS (FAIL, WARN, ERROR; --all lists every finding)');
  const findingRows = findingRowsOf(result, notAudited, options.all);
  if (findingRows.length === 0) lines.push('  none');
  else lines.push(...table(['STATUS', 'HOST', 'CONTROL', 'RULE', 'REASON'], findingRows, paint, []));
  lines.push(...waivedLines(result), ...expiredWaiverLines(result), ...baselineLines(result, paint));

  lines.push('', 'ETCD CLUSTERS');
  const hostsOf = groupBy(result.hosts, (host) => host.cluster);
  for (const cluster of result.clusters) {
    const coverage = clusterCoverage(cluster, hostsOf.get(cluster.name)?.length ?? 0);
    lines.push(
      escaped`  ${cluster.name}: ${cluster.memberCount} member(s) (${cluster.memberCountBasis})` + (coverage === undefined ? '' : escaped`; ${coverage}`),
    );
  }
  lines.push('', totalLine(result, notAudited, paint));
  if (options.nextSteps) lines.push(...nextStepLines(options.nextSteps, options.all));
  return `${lines.join('\n')}\n`;
}

/**
 * The findings to list: first one line per host that could not be audited, standing for its
 * ERROR findings (one per control, all for the same reason), then every other finding that needs
 * attention (or every one, with --all), in the result's order.
 */
function findingRowsOf(result: ScanResult, notAudited: readonly HostSummary[], all: boolean): string[][] {
  const unaudited = new Set(notAudited.map((s) => s.host.name));
  const standsFor = (finding: Finding) => finding.status === 'ERROR' && unaudited.has(finding.host);
  const hostLines = notAudited
    .filter((s) => s.counts.ERROR > 0)
    .map(({ host, counts }) => ['ERROR', host.name, `all ${counts.ERROR}`, '-', notAuditedNote(host)]);
  const findingLines = result.findings.filter((f) => !standsFor(f) && (all || needsAttention(f.status))).map(findingRow);
  return [...hostLines, ...findingLines];
}

function findingRow(finding: Finding): string[] {
  // Only what needs attention is marked: an unchanged finding reads as before.
  const marks = [finding.change === 'unchanged' ? undefined : finding.change, finding.waiver && 'waived'].filter(Boolean);
  const prefix = marks.length > 0 ? `[${marks.join(', ')}] ` : '';
  return [finding.status, finding.host, finding.control, finding.ruleId, prefix + finding.reason];
}

/** What the report does not cover, right under its first line: `PARTIAL SCAN (…)` and each thing left out. */
function coverageLines(result: ScanResult): string[] {
  return coverageNotes(result).flatMap((note) => [
    escaped`${note.title.toUpperCase()} (${note.meaning})`,
    ...note.details.map((detail) => escaped`  ${detail}`),
    '',
  ]);
}

/** Every finding counted, with what the listing folds or sets apart: waived ones, and the ERRORs of hosts not audited. */
function totalLine(result: ScanResult, notAudited: readonly HostSummary[], paint: Paint): string {
  const counts = countStatuses(result.findings);
  const notes: string[] = [];
  const waived = result.findings.filter((f) => f.waiver).length;
  if (waived > 0) notes.push(`${waived} waived`);
  if (notAudited.length > 0) {
    const errors = notAudited.reduce((sum, s) => sum + s.counts.ERROR, 0);
    notes.push(`${errors} ERROR on the ${notAudited.length === 1 ? 'host' : `${notAudited.length} hosts`} not audited`);
  }
  return `TOTAL  ${COUNT_ORDER.map((s) => paint(s, `${counts[s]} ${STATUS_LABEL[s]}`)).join(' · ')}` + (notes.length > 0 ? ` (${notes.join('; ')})` : '');
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
  return ['', 'EXPIRED WAIVERS (no longer applied: renew or remove them)', ...expired.map((w) => escaped`  ${expiredWaiverNote(w)}`)];
}

function baselineLines(result: ScanResult, paint: Paint): string[] {
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

/** Where a person goes from here: the interactive report, the HTML report, and each finding's remediation. */
function nextStepLines({ command, resultFiles = [], htmlFile }: NextSteps, all: boolean): string[] {
  const saved = resultFiles.length === 0 ? undefined : resultFiles.map(shellQuoteIfNeeded).join(' ');
  const browse =
    saved === undefined
      ? ['run the scan in a terminal; or save the result with -o result.json,', 'then open it with: fleetbench report result.json']
      : [escaped`fleetbench report ${saved}   (in a terminal: hosts, controls, each finding)`];
  const html =
    htmlFile !== undefined
      ? [escaped`written to ${htmlFile}`]
      : command === 'report' && saved !== undefined
        ? [escaped`fleetbench report ${saved} --format html > report.html`]
        : ['add -o report.html (one self-contained file, for auditors)'];
  const remediation = [
    'Enter on a finding in the interactive report, or the HTML report, shows its evidence',
    `and remediation${all ? '' : '; --all lists every finding here, PASS and N/A too'}`,
  ];
  const step = (label: string, text: string[]) => text.map((line, i) => `  ${(i === 0 ? label : '').padEnd(20)}${line}`);
  return ['', 'NEXT STEPS', ...step('interactive report', browse), ...step('HTML report', html), ...step('remediation', remediation)];
}

/** The report's tables: the first column is a status, shown by its label in its color; every other cell is escaped. */
function table(header: string[], rows: string[][], paint: Paint, rightAligned: number[]): string[] {
  const labelled = rows.map(([status, ...rest]) => [STATUS_LABEL[status as Status], ...rest.map(safeLine)]);
  const decorate = (padded: string, row: number, column: number) => (column === 0 ? paint(rows[row]![0] as Status, padded) : padded);
  return columns(header, labelled, { rightAligned, decorate });
}
