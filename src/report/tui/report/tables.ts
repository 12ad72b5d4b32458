import { STATUS_LABEL, needsAttention } from '../../../status.js';
import type { Finding, HostOutcome, Status } from '../../../model.js';
import type { Segment } from '../line.js';
import type { Tone } from '../style.js';
import type { Column, ColumnSpec } from '../text/columns.js';
import { fitColumns, GAP } from '../text/columns.js';
import { fit } from '../text/fit.js';
import { shortTitle } from '../text/short-title.js';
import { MARKER_WIDTH } from './layout.js';
import { clusterCoverage } from '../../coverage.js';
import type { HostSummary } from '../../summary.js';
import type { ReportData } from './report-data.js';
import type { Row, Screen } from './screens.js';

// The columns of each list screen and how a row fills them.

type ListScreen = Exclude<Screen, { kind: 'finding' }>;

interface Cell {
  text: string;
  tone?: Tone;
}

interface ColumnDef extends ColumnSpec {
  cell(row: Row): Cell;
}

export interface Table {
  columns: Column<ColumnDef>[];
  header: Segment[];
}

export function tableFor(screen: ListScreen, data: ReportData, filter: Status | undefined, width: number): Table {
  const columns = fitColumns(columnsOf(screen, data, filter), width - MARKER_WIDTH);
  const header = [{ text: ' '.repeat(MARKER_WIDTH) }, ...joined(columns.map((c) => ({ text: fit(c.header, c.width, c.align), tone: 'heading' as const })))];
  return { columns, header };
}

export function rowSegments(row: Row, table: Table, selected: boolean, width: number): Segment[] {
  if (row.kind === 'cluster') return [{ text: fit(clusterHeading(row), width), tone: row.cluster.notAudited ? 'ERROR' : 'heading' }];
  const marker = fit(selected ? '›' : '', MARKER_WIDTH);
  return [
    { text: marker },
    ...joined(
      table.columns.map((column) => {
        const cell = column.cell(row);
        return { ...cell, text: fit(cell.text, column.width, column.align) };
      }),
    ),
  ];
}

function joined(cells: Segment[]): Segment[] {
  return cells.flatMap((cell, i) => (i === 0 ? [cell] : [{ text: ' '.repeat(GAP) }, cell]));
}

function clusterHeading(row: Extract<Row, { kind: 'cluster' }>): string {
  const { cluster, shown } = row;
  const inPart = shown < cluster.hosts.length ? ` (${shown} shown)` : '';
  const listed = `${hostCount(cluster.hosts.length)}${inPart}`;
  const coverage = cluster.summary && clusterCoverage(cluster.summary, cluster.hosts.length + cluster.elsewhere);
  const partly = coverage === undefined ? '' : ` · ${coverage}`;
  if (cluster.notAudited) return `NOT AUDITED · ${cluster.name} · ${listed} · every control ERROR${partly}`;
  const members = cluster.summary ? ` · ${cluster.summary.memberCount} etcd member(s): ${cluster.summary.memberCountBasis}` : '';
  // Every host the scan covered is listed here: what it covered says how many, once.
  if (coverage !== undefined && cluster.elsewhere === 0) return `${cluster.name} · ${coverage}${inPart}${members}`;
  const elsewhere = cluster.elsewhere > 0 ? ` · ${cluster.elsewhere} more not audited (above)` : '';
  return `${cluster.name} · ${listed}${elsewhere}${partly}${members}`;
}

function hostCount(n: number): string {
  return n === 1 ? '1 host' : `${n} hosts`;
}

function columnsOf(screen: ListScreen, data: ReportData, filter: Status | undefined): ColumnDef[] {
  switch (screen.kind) {
    case 'hosts':
      return hostColumns(data);
    case 'host':
      return findingColumns(data.findingsByHost.get(screen.host) ?? []);
    case 'controls':
      return controlColumns(data, filter);
    case 'control':
      return controlHostColumns(data.controls.find((c) => c.ruleId === screen.ruleId)?.findings ?? []);
  }
}

const status = (value: Status): Cell => ({ text: STATUS_LABEL[value], tone: value });
const longest = (values: string[], floor: number) => Math.max(floor, ...values.map((v) => Array.from(v).length));

function statusColumn(of: (row: Row) => Status): ColumnDef {
  return { header: 'STATUS', width: 6, cell: (row) => status(of(row)) };
}

function countColumn(header: string, counted: Status, of: (row: Row) => Record<Status, number>): ColumnDef {
  return {
    header,
    width: Math.max(4, header.length),
    align: 'right',
    cell: (row) => {
      const n = of(row)[counted];
      return n > 0 && needsAttention(counted) ? { text: String(n), tone: counted } : { text: String(n) };
    },
  };
}

function summaryOf(row: Row): HostSummary {
  if (row.kind !== 'host') throw new Error(`not a host row: ${row.kind}`);
  return row.summary;
}

const hostOf = (row: Row): HostOutcome => summaryOf(row).host;

function findingOf(row: Row): Finding {
  if (row.kind !== 'finding') throw new Error(`not a finding row: ${row.kind}`);
  return row.finding;
}

function hostColumns(data: ReportData): ColumnDef[] {
  const hosts = [...data.hosts.values()].map((s) => s.host);
  const counts = (row: Row) => summaryOf(row).counts;
  return [
    statusColumn((row) => summaryOf(row).worst),
    {
      header: 'HOST',
      min: 12,
      max: longest(
        hosts.map((h) => h.name),
        4,
      ),
      weight: 2,
      cell: (row) => ({ text: hostOf(row).name }),
    },
    {
      header: 'ADDRESS',
      min: 15,
      max: longest(hosts.map(address), 7),
      weight: 1,
      optional: true,
      cell: (row) => ({ text: address(hostOf(row)) }),
    },
    countColumn('PASS', 'PASS', counts),
    countColumn('FAIL', 'FAIL', counts),
    countColumn('WARN', 'WARN', counts),
    countColumn('N/A', 'NOT_APPLICABLE', counts),
    countColumn('ERROR', 'ERROR', counts),
    { header: 'REACHABILITY', min: 24, weight: 3, cell: (row) => reachability(hostOf(row)) },
  ];
}

function address(host: HostOutcome): string {
  return `${host.address}:${host.port}`;
}

function reachability(host: HostOutcome): Cell {
  // Under its group's NOT AUDITED heading: the reason is all the row needs to say.
  if (!host.reached) return { text: host.error ?? 'unknown reason', tone: 'ERROR' };
  const how = host.privilege === undefined ? 'reached' : `reached as ${host.privilege}`;
  if (host.problems.length === 0) return { text: how };
  const first = host.problems[0]!;
  return { text: `${how} · ${host.problems.length} unreadable: ${first.subject}: ${first.reason}`, tone: 'WARN' };
}

function findingColumns(findings: Finding[]): ColumnDef[] {
  return [
    statusColumn((row) => findingOf(row).status),
    {
      header: 'CONTROL',
      width: longest(
        findings.map((f) => f.control),
        7,
      ),
      cell: (row) => ({ text: findingOf(row).control }),
    },
    {
      header: 'RULE',
      min: 24,
      max: longest(
        findings.map((f) => f.ruleId),
        4,
      ),
      weight: 1,
      optional: true,
      cell: (row) => ({ text: findingOf(row).ruleId }),
    },
    { header: 'TITLE', min: 24, weight: 3, cell: (row) => ({ text: shortTitle(findingOf(row).title) }) },
    { header: 'REASON', min: 24, weight: 4, cell: (row) => ({ text: findingOf(row).reason }) },
  ];
}

function controlColumns(data: ReportData, filter: Status | undefined): ColumnDef[] {
  const shown: Status = filter ?? 'FAIL';
  const group = (row: Row) => {
    if (row.kind !== 'control') throw new Error(`not a control row: ${row.kind}`);
    return row.control;
  };
  return [
    statusColumn((row) => group(row).worst),
    {
      header: 'CONTROL',
      width: longest(
        data.controls.map((c) => c.control),
        7,
      ),
      cell: (row) => ({ text: group(row).control }),
    },
    countColumn('FAIL', 'FAIL', (row) => group(row).counts),
    countColumn('WARN', 'WARN', (row) => group(row).counts),
    countColumn('ERROR', 'ERROR', (row) => group(row).counts),
    { header: 'TITLE', min: 20, weight: 3, cell: (row) => ({ text: shortTitle(group(row).title) }) },
    {
      header: shown === 'FAIL' ? 'FAILING ON' : `${STATUS_LABEL[shown]} ON`,
      min: 16,
      weight: 3,
      cell: (row) => {
        const hosts = group(row)
          .findings.filter((f) => f.status === shown)
          .map((f) => f.host);
        return hosts.length === 0 ? { text: '-', tone: 'dim' } : { text: hosts.join(', '), tone: shown };
      },
    },
  ];
}

function controlHostColumns(findings: Finding[]): ColumnDef[] {
  return [
    statusColumn((row) => findingOf(row).status),
    {
      header: 'HOST',
      min: 12,
      max: longest(
        findings.map((f) => f.host),
        4,
      ),
      weight: 2,
      cell: (row) => ({ text: findingOf(row).host }),
    },
    {
      header: 'CLUSTER',
      min: 8,
      max: longest(
        findings.map((f) => f.cluster),
        7,
      ),
      weight: 1,
      cell: (row) => ({ text: findingOf(row).cluster }),
    },
    { header: 'REASON', min: 24, weight: 5, cell: (row) => ({ text: findingOf(row).reason }) },
  ];
}
