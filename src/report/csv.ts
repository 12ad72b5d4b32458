import { stringify } from 'csv-stringify/sync';
import type { Finding, HostOutcome, ScanResult } from '../model.js';
import { evidenceLine } from './finding-notes.js';
import { safeBlock } from './terminal-text.js';

// The spreadsheet report: one row per host and control, for auditors who filter and pivot.
//
// Every cell is hostile until proven otherwise: process arguments can carry a formula such as
// =HYPERLINK(...) that a spreadsheet would run on opening (OWASP "CSV injection"), and escape
// sequences that would act on a terminal that `cat`s the file. So each cell has its control
// characters shown as visible escapes (\e, \r, newline and tab kept), then is neutralised if it
// could start a formula, then quoted per RFC 4180 by csv-stringify (CRLF between records, quotes
// around any cell with a comma, quote or line break). The JSON output keeps the exact text.

interface Column {
  header: string;
  cell: (finding: Finding, host: HostOutcome | undefined) => string;
}

const BASE_COLUMNS: Column[] = [
  { header: 'cluster', cell: (f) => f.cluster },
  { header: 'host', cell: (f) => f.host },
  { header: 'address', cell: (_, host) => host?.address ?? '' },
  { header: 'control', cell: (f) => f.control },
  { header: 'rule id', cell: (f) => f.ruleId },
  { header: 'title', cell: (f) => f.title },
  { header: 'status', cell: (f) => f.status },
  { header: 'reason', cell: (f) => f.reason },
  { header: 'expected', cell: (f) => f.expected },
  { header: 'actual', cell: (f) => f.actual },
  { header: 'evidence', cell: (f) => f.evidence.map(evidenceLine).join('\n') },
  { header: 'remediation', cell: (f) => f.remediation },
];

const WAIVER_COLUMNS: Column[] = [
  { header: 'waived', cell: (f) => (f.waiver === undefined ? '' : 'waived') },
  { header: 'waiver justification', cell: (f) => f.waiver?.justification ?? '' },
  { header: 'waiver expires', cell: (f) => f.waiver?.expires ?? '' },
  { header: 'waiver source', cell: (f) => f.waiver?.source ?? '' },
];

const CHANGE_COLUMN: Column = { header: 'change since baseline', cell: (f) => f.change ?? '' };

export function renderCsv(result: ScanResult): string {
  const columns: Column[] = [
    ...BASE_COLUMNS,
    { header: 'benchmark', cell: () => result.benchmark },
    { header: 'scanned at', cell: () => result.startedAt },
    ...(result.findings.some((f) => f.waiver !== undefined) ? WAIVER_COLUMNS : []),
    ...(result.baseline === undefined ? [] : [CHANGE_COLUMN]),
  ];
  const hosts = new Map(result.hosts.map((h) => [h.name, h]));
  const rows = result.findings.map((finding) => columns.map((column) => spreadsheetSafe(column.cell(finding, hosts.get(finding.host)))));
  return stringify(rows, {
    header: true,
    columns: columns.map((column) => column.header),
    record_delimiter: 'windows',
    // csv-stringify quotes only cells that contain the record delimiter itself; RFC 4180 wants a
    // cell with any line break quoted, and spreadsheets split rows on a bare LF too.
    quoted_match: /[\r\n]/,
  });
}

// A spreadsheet runs a cell as a formula when it starts with one of these, also after leading
// spaces in some of them; full-width variants are converted to ASCII by some East Asian locales.
const FORMULA_START = /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/u;

/**
 * The cell's text, made inert: control characters visible, and a leading apostrophe in front of
 * anything a spreadsheet would run, which spreadsheets read as "this is text" and which a human
 * still reads past (`'--client-cert-auth=false`).
 */
export function spreadsheetSafe(text: string): string {
  const visible = safeBlock(text);
  return FORMULA_START.test(visible) ? `'${visible}` : visible;
}
