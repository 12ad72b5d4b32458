import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { ReportApp } from '../../../src/report/tui/report/report-app.js';
import type { ScanResult } from '../../../src/model.js';
import { buildReportData } from '../../../src/report/tui/report/report-data.js';
import type { ReportData } from '../../../src/report/tui/report/report-data.js';
import { HOSTILE_SHOWN, foreignEscapes, tuiFleet, tuiFleetData } from './fixture.js';

// The report as a user drives it: keys into stdin, frames out of Ink, at 80×24 unless a test
// says otherwise. Colors are off so frames compare as text.

const ENTER = '\r';
const ESC = '\u001b';
const DOWN = '\u001b[B';
const TAB = '\t';

afterEach(() => cleanup());

function open(size = { width: 80, height: 24 }, data: ReportData = tuiFleetData()) {
  const app = render(<ReportApp data={data} color={false} size={size} />);
  return {
    frame: () => app.lastFrame() ?? '',
    lines: () => (app.lastFrame() ?? '').split('\n'),
    async press(...keys: string[]) {
      for (const key of keys) {
        app.stdin.write(key);
        // Ink renders a key at once, except a lone ESC: that is known to be Esc, not the start of
        // a sequence, only on the next turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

describe('interactive report', () => {
  it('opens on the hosts not audited, then the clusters and hosts worst first, in exactly the 23 lines of an 80×24 terminal', () => {
    const app = open();
    const lines = app.lines();
    expect(lines).toHaveLength(23);
    expect(Math.max(...lines.map((l) => Array.from(l).length))).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^fleetbench · CIS 1\.12 +13 PASS {2}4 FAIL {2}3 WARN {2}0 N\/A {2}3 ERROR$/);
    expect(lines[1]).toBe('[Hosts] Controls');
    expect(lines[2]).toMatch(/^ {2}STATUS HOST +PASS FAIL WARN {2}N\/A ERROR REACHABILITY/);
    expect(lines[3]).toBe('NOT AUDITED · legacy · 1 host · every control ERROR');
    expect(lines[4]).toMatch(/^› ERROR {2}legacy-1 +0 +0 +0 +0 +3 connection refused by 10\.0\.9\.11…$/);
    expect(lines[5]).toMatch(/^hostile · 1 host · 1 etcd member\(s\)/);
    expect(lines[6]).toMatch(/^ {2}FAIL {3}evil-1 +2 +1 +0 +0 +0 reached as sudo · 1 unreadable/);
    expect(lines[7]).toMatch(/^prod · 3 hosts · 3 etcd member\(s\): 3 etcd hosts in the inventory$/);
    expect(lines.slice(8, 11).map((l) => l.split(/ +/).slice(1, 3).join(' '))).toEqual(['FAIL prod-cp2', 'PASS prod-cp1', 'PASS prod-cp3']);
    expect(lines[21]).toMatch(/^filter: all +1\/7 hosts$/);
    expect(lines[22]).toMatch(/^↑↓ j\/k move {2}enter open {2}esc back/);
  });

  it('navigates to a failing host, opens a finding with its evidence and remediation, and comes back', async () => {
    const app = open();
    await app.press('j', 'j', 'j', 'j', 'j', ENTER);
    expect(app.lines()[1]).toBe('[Hosts] Controls   stage-1');
    expect(app.lines()[2]).toBe('stage-1 · cluster staging · 10.0.2.11:22 · reached, probe ran as sudo');
    expect(app.lines()[4]).toBe('› FAIL   2.2     --client-cert-auth argument i… --client-cert-auth is not set (…');
    await app.press(DOWN, ENTER);
    const finding = app.frame();
    expect(finding).toContain('[Hosts] Controls   stage-1 › control 2.3');
    expect(finding).toMatch(/^FAIL {2}2\.3 {2}Ensure that the --auto-tls argument is not set to true$/m);
    expect(finding).toMatch(/^Expected {2}--auto-tls absent or false$/m);
    expect(finding).toMatch(/^Actual {4}--auto-tls=true$/m);
    expect(finding).toMatch(/^ {2}environment of pid 812\n {4}ETCD_AUTO_TLS = true\n {2}\/etc\/etcd\.env line 24\n {4}ETCD_AUTO_TLS = true$/m);
    expect(finding).toMatch(/^Remediation\n {2}Remove --auto-tls or set it to false, then restart etcd\.$/m);
    await app.press(ESC);
    expect(app.lines()[1]).toBe('[Hosts] Controls   stage-1');
    expect(app.lines()[5]).toMatch(/^› FAIL {3}2\.3/);
    await app.press('\u007f');
    expect(app.lines()[1]).toBe('[Hosts] Controls');
    expect(app.frame()).toMatch(/^› FAIL {3}stage-1/m);
  });

  it('filters by status on every screen', async () => {
    const app = open();
    await app.press('f');
    expect(app.lines()[21]).toMatch(/^filter: FAIL +1\/3 hosts$/);
    const hosts = app
      .lines()
      .filter((l) => /^[› ] (FAIL|PASS|WARN|ERROR)/.test(l))
      .map((l) => l.split(/ +/)[2]);
    expect(hosts).toEqual(['evil-1', 'prod-cp2', 'stage-1']);
    await app.press('f', 'f');
    expect(app.lines()[21]).toMatch(/^filter: WARN +1\/2 hosts$/);
    await app.press('f', 'f', 'f');
    expect(app.lines()[21]).toMatch(/^filter: all +1\/7 hosts$/);
  });

  it('searches host names as they are typed', async () => {
    const app = open();
    await app.press('/', 's', 't', 'a', 'g', 'e');
    expect(app.lines()[21]).toMatch(/^filter: all {2}search: stage▏ +1\/2 hosts$/);
    expect(app.frame()).not.toContain('prod-cp1');
    expect(app.frame()).toMatch(/^› FAIL {3}stage-1/m);
    await app.press(ENTER, 'j');
    expect(app.frame()).toMatch(/^› WARN {3}stage-2/m);
    await app.press(ESC);
    expect(app.frame()).toContain('prod-cp1');
  });

  it('shows, for each control, which hosts fail it', async () => {
    const app = open();
    await app.press(TAB);
    const lines = app.lines();
    expect(lines[1]).toBe(' Hosts [Controls]');
    expect(lines[2]).toMatch(/^ {2}STATUS CONTROL FAIL WARN ERROR TITLE +FAILING ON$/);
    expect(lines[3]).toBe('› FAIL   2.2        2    0     1 --client-cert-auth argum… evil-1, stage-1');
    expect(lines[4]).toMatch(/^ {2}FAIL {3}1\.1\.11 +1 +0 +1 .* prod-cp2$/);
    expect(lines[5]).toMatch(/^ {2}FAIL {3}2\.3 +1 +1 +1 .* stage-1$/);
    expect(lines[6]).toMatch(/^ {2}WARN {3}- +0 +2 +0 etcd cluster membership .* -$/);
    await app.press('f', 'f', 'f');
    expect(app.lines()[2]).toMatch(/WARN ON$/);
    expect(app.lines()[3]).toMatch(/stage-2$/);
  });

  it('shows what hosts sent as inert text: escape sequences are spelled out, never written', async () => {
    const app = open({ width: 160, height: 40 });
    await app.press('j', ENTER);
    expect(app.frame()).toContain(`could not read environ of pid 1795${HOSTILE_SHOWN}: permission denied`);
    await app.press(ENTER);
    const finding = app.frame();
    expect(finding).toContain(`--client-cert-auth is ${HOSTILE_SHOWN} (not true)`);
    expect(finding).toContain(`process 1795 command line${HOSTILE_SHOWN}`);
    expect(finding).toContain(`--client-cert-auth = ${HOSTILE_SHOWN}`);
    expect(finding).toContain('--client-cert-auth = <script>alert(1)</script>');
    expect(foreignEscapes(finding)).toEqual([]);
  });

  it('scrolls a long list in a short terminal and keeps the selection visible', async () => {
    const app = open({ width: 80, height: 10 });
    expect(app.lines()).toHaveLength(9);
    await app.press('G');
    expect(app.frame()).toMatch(/^› WARN {3}stage-2/m);
    expect(app.frame()).not.toContain('legacy-1');
    await app.press('g');
    expect(app.frame()).toMatch(/^NOT AUDITED · legacy/m);
    expect(app.frame()).toMatch(/^› ERROR {2}legacy-1/m);
  });

  it('shows the keys on ?, and any key closes them', async () => {
    const app = open();
    await app.press('?');
    expect(app.lines()[0]).toBe('fleetbench interactive report: keys');
    expect(app.frame()).toMatch(/^Esc {2}Backspace {2}← h +back \(first clears a search\)$/m);
    await app.press('x');
    expect(app.lines()[1]).toBe('[Hosts] Controls');
  });
});

/** The saved fleet as a scan --limit and --skip narrowed would give it: prod-cp4 of prod and control 2.6 left out. */
function partialFleet(): ScanResult {
  const result = tuiFleet();
  result.selection = { limit: 'all:!prod-cp4', skip: ['2.6'], hostsLeftOut: 1, rulesLeftOut: ['etcd-peer-auto-tls'] };
  result.clusters.find((cluster) => cluster.name === 'prod')!.notScanned = ['prod-cp4'];
  return result;
}

describe('interactive report of a result that covers part of the fleet', () => {
  it('says so under the top bar and at the cluster scanned in part, in the same 23 lines of an 80×24 terminal', () => {
    const lines = open(undefined, buildReportData(partialFleet())).lines();
    expect(lines).toHaveLength(23);
    expect(Math.max(...lines.map((l) => Array.from(l).length))).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^fleetbench · CIS 1\.12 +13 PASS/);
    expect(lines[1]).toMatch(/^Partial scan: 1 host and 1 control left out \(--limit, --skip\) +\? details$/);
    expect(lines[2]).toBe('[Hosts] Controls');
    expect(lines).toContainEqual(expect.stringMatching(/^prod · 3 of 4 hosts scanned; prod-cp4 left out by --limit · 3 etcd/));
    expect(lines[21]).toMatch(/^filter: all +1\/7 hosts$/);
    expect(lines[22]).toMatch(/^↑↓ j\/k move/);
  });

  it('keeps the selection in view with the extra line: paging down in a short terminal', async () => {
    const app = open({ width: 80, height: 10 }, buildReportData(partialFleet()));
    expect(app.lines()).toHaveLength(9);
    await app.press('G');
    expect(app.frame()).toMatch(/^› WARN {3}stage-2/m);
    expect(app.lines()[1]).toMatch(/^Partial scan/);
  });

  it('shows each thing left out in full on ?, above the keys', async () => {
    const app = open(undefined, buildReportData({ ...partialFleet(), interrupted: true }));
    expect(app.lines()[1]).toMatch(/^Interrupted · Partial scan: 1 host and 1 control left out/);
    await app.press('?');
    const lines = app.lines();
    expect(lines.slice(0, 6)).toEqual([
      'Interrupted (stopped by SIGINT or SIGTERM before it finished)',
      'Partial scan (this report says nothing about what it left out)',
      "  --limit 'all:!prod-cp4' left out 1 host of the inventory",
      '  --skip 2.6 left out 1 control: etcd-peer-auto-tls',
      '',
      'fleetbench interactive report: keys',
    ]);
    expect(lines).toHaveLength(23);
    expect(app.frame()).toMatch(/^q {2}Ctrl\+C +quit$/m);
  });

  it('cuts what does not fit on the help screen, saying where the rest is, and keeps every key', async () => {
    const result = tuiFleet();
    result.mergedFrom = Array.from({ length: 12 }, (_, i) => ({
      file: `part-${i}.json`,
      inventory: 'fleet/',
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      hosts: 1,
      selection: { limit: `part-${i}`, hostsLeftOut: 6, rulesLeftOut: [] },
    }));
    const app = open(undefined, buildReportData(result));
    await app.press('?');
    const lines = app.lines();
    expect(lines).toHaveLength(23);
    expect(lines[0]).toBe('Merged from 12 results (one report of several scans, each with what it covered)');
    expect(lines).toContainEqual(expect.stringMatching(/^… \d+ more lines: the text and HTML reports have them all$/));
    expect(lines).toContain('fleetbench interactive report: keys');
    expect(app.frame()).toMatch(/^q {2}Ctrl\+C +quit$/m);
  });
});
