import { describe, expect, it } from 'vitest';
import { renderCsv, spreadsheetSafe } from '../../src/report/csv.js';
import { finding, scanResult } from '../support/scan-results.js';
import { scanFleetFile } from '../support/fleet.js';
import { PAYLOAD_SHOWN, rawControls, unvalidatedHostileResult } from '../support/hostile-result.js';

/** A strict RFC 4180 reader, to check the writer's output from the outside. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted cell');
        cell += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        cell += '"';
        i += 1;
      }
    } else {
      const end = text.slice(i).search(/[,\r\n"]/);
      cell = end < 0 ? text.slice(i) : text.slice(i, i + end);
      i += cell.length;
      if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
    }
    record.push(cell);
    if (text[i] === ',') i += 1;
    else if (text.startsWith('\r\n', i) || i === text.length) {
      records.push(record);
      record = [];
      i += 2;
    } else throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return records;
}

const HEADER = [
  'cluster',
  'host',
  'address',
  'control',
  'rule id',
  'title',
  'status',
  'reason',
  'expected',
  'actual',
  'evidence',
  'remediation',
  'benchmark',
  'scanned at',
];

describe('renderCsv', () => {
  it('writes a header and one CRLF-terminated row per host and control', () => {
    const result = scanResult([
      finding({
        host: 'cp1',
        evidence: [
          { source: 'process 1 command line', key: '--client-cert-auth', value: 'false' },
          { source: '/etc/etcd.env line 3', key: 'ETCD_X', value: null },
        ],
      }),
      finding({
        host: 'cp2',
        ruleId: 'etcd-no-auto-tls',
        control: '2.3',
        status: 'PASS',
        reason: 'not set',
        expected: 'absent',
        actual: 'absent',
        evidence: [],
      }),
    ]);
    const text = renderCsv(result);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, first, second, ...rest] = parseCsv(text);
    expect(header).toEqual(HEADER);
    expect(rest).toEqual([]);
    expect(first).toEqual([
      'prod',
      'cp1',
      '10.0.0.1',
      '2.2',
      'etcd-client-cert-auth',
      'Ensure that the --client-cert-auth argument is set to true',
      'FAIL',
      "'--client-cert-auth is false",
      "'--client-cert-auth=true",
      "'--client-cert-auth=false",
      'process 1 command line: --client-cert-auth=false\n/etc/etcd.env line 3: ETCD_X not set',
      'Set --client-cert-auth=true and restart etcd.',
      'cis-1.12',
      '2026-11-25T10:00:00.000Z',
    ]);
    expect(second!.slice(0, 8)).toEqual(['prod', 'cp2', '10.0.0.1', '2.3', 'etcd-no-auto-tls', expect.any(String), 'PASS', 'not set']);
  });

  it('quotes commas, quotes and line breaks so that every cell reads back exactly', () => {
    const reason = 'a, "quoted" value\nover two lines\r\nand more';
    const [, row] = parseCsv(renderCsv(scanResult([finding({ reason })])));
    expect(row![7]).toBe('a, "quoted" value\nover two lines\\r\nand more');
  });

  it('adds waiver columns when a finding is waived and a change column when compared with a baseline', () => {
    const waived = finding({ waiver: { justification: 'VLAN, isolated', expires: '2026-12-31', source: 'w.yaml:3' }, change: 'unchanged' });
    const result = scanResult([waived, finding({ host: 'cp2', change: 'new' })], {
      baseline: { file: 'b.json', startedAt: '2026-11-01T00:00:00Z', counts: { new: 1, unchanged: 1, changed: 0, resolved: 0 }, resolved: [] },
    });
    const [header, first, second] = parseCsv(renderCsv(result));
    expect(header!.slice(HEADER.length)).toEqual(['waived', 'waiver justification', 'waiver expires', 'waiver source', 'change since baseline']);
    expect(first!.slice(HEADER.length)).toEqual(['waived', 'VLAN, isolated', '2026-12-31', 'w.yaml:3', 'unchanged']);
    expect(second!.slice(HEADER.length)).toEqual(['', '', '', '', 'new']);
    expect(parseCsv(renderCsv(scanResult([finding()])))[0]).toEqual(HEADER);
  });

  it('renders the hostile fixture host inert: no formula starts a cell, no control character reaches the file', async () => {
    const { result } = await scanFleetFile('hostile');
    const text = renderCsv(result);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/);
    const cells = parseCsv(text).flat();
    expect(cells.filter((cell) => /^\s*[=+\-@]/.test(cell))).toEqual([]);
    expect(cells.some((cell) => cell.includes('=HYPERLINK("http://attacker.example/","click")'))).toBe(true);
    expect(cells).toContain(`'--client-cert-auth=<img src=x onerror="document.title='fleetbench-xss'">`);
  });

  it('escapes every field of a hostile result file, the ones that used to be our own too', () => {
    const text = renderCsv(unvalidatedHostileResult());
    // CRLF ends each record (RFC 4180): a CR anywhere else would be raw.
    expect(rawControls(text.replaceAll('\r\n', '\n'))).toEqual([]);
    const [header, first] = parseCsv(text);
    const cell = (name: string) => first![header!.indexOf(name)];
    expect(cell('control')).toBe(`2.2${PAYLOAD_SHOWN}`);
    expect(cell('rule id')).toBe(`rule${PAYLOAD_SHOWN}`);
    expect(cell('benchmark')).toBe(`cis-1.12${PAYLOAD_SHOWN}`);
    expect(cell('waiver source')).toBe(`waivers.yaml:4${PAYLOAD_SHOWN}`);
  });
});

describe('spreadsheetSafe', () => {
  it('puts an apostrophe before anything a spreadsheet would run, also after leading whitespace', () => {
    for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)', ' =cmd', '\n=cmd', '\uff1dcmd']) {
      expect(spreadsheetSafe(formula)).toMatch(/^'/);
    }
    expect(spreadsheetSafe('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(spreadsheetSafe('\t=1')).toBe(`'\t=1`);
  });

  it('shows control characters as visible escapes, so a leading CR or ESC cannot act', () => {
    expect(spreadsheetSafe('\r=1')).toBe('\\r=1');
    expect(spreadsheetSafe('ok\u001b[2J')).toBe('ok\\e[2J');
  });

  it('leaves ordinary text alone, including = and - inside it', () => {
    for (const text of ['a=b', 'PASS', 'cp-1', '10.0.0.1', '', 'x -y']) expect(spreadsheetSafe(text)).toBe(text);
  });
});
