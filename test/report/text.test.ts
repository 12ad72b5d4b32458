import { describe, expect, it } from 'vitest';
import type { Finding, HostOutcome, ScanResult } from '../../src/model.js';
import { renderText } from '../../src/report/text.js';
import { PAYLOAD, PAYLOAD_SHOWN, rawControls } from '../support/hostile-result.js';
import { comparedInPart, finding, host, mergedScans, partialScan, scanResult } from '../support/scan-results.js';

const CONTROLS = 13;

/** The ERROR findings a scan makes for a host it could not audit: one per control, one reason. */
function unaudited(name: string, error: string): { outcome: HostOutcome; findings: Finding[] } {
  const outcome = host({ name, cluster: 'edge', reached: false, error, errorKind: 'refused', problems: [] });
  delete outcome.privilege;
  const findings = Array.from({ length: CONTROLS }, (_, i) =>
    finding({ host: name, cluster: 'edge', ruleId: `rule-${i}`, control: `2.${i}`, status: 'ERROR', reason: `host not scanned: ${error}`, evidence: [] }),
  );
  return { outcome, findings };
}

describe('renderText of hosts that could not be audited', () => {
  it('lists one line per host instead of "none" when no host could be audited, and totals what it lists', () => {
    const hosts = ['e1', 'e2', 'e3', 'e4', 'e5'].map((name) => unaudited(name, `connection refused by ${name}:22`));
    const result = scanResult(
      hosts.flatMap((h) => h.findings),
      { hosts: hosts.map((h) => h.outcome) },
    );
    const text = renderText(result, { color: false, all: false });
    const findings = text.slice(text.indexOf('FINDINGS'), text.indexOf('ETCD CLUSTERS'));
    expect(findings).not.toContain('none');
    expect(findings.match(/^ERROR +e\d +all 13 +- +not audited: connection refused by e\d:22$/gm)).toHaveLength(5);
    expect(findings).not.toContain('rule-');
    expect(text).toContain('HOSTS (5 of 5 NOT AUDITED, listed first: none of their controls could be checked)\n');
    expect(text).toMatch(/^TOTAL {2}0 PASS · 0 FAIL · 0 WARN · 0 N\/A · 65 ERROR \(65 ERROR on the 5 hosts not audited\)$/m);
  });

  it('puts them first among the hosts, above a FAIL, and lists the ERRORs of audited hosts one by one', () => {
    const down = unaudited('z-down', 'the scan was interrupted before this host finished');
    const result = scanResult(
      [
        finding({ host: 'a-fails', cluster: 'core', status: 'FAIL' }),
        finding({ host: 'a-fails', cluster: 'core', ruleId: 'etcd-peer-auto-tls', control: '2.6', status: 'ERROR', reason: 'cannot read /etc/etcd.env' }),
        finding({ host: 'b-passes', cluster: 'core', status: 'PASS' }),
        ...down.findings,
      ],
      { hosts: [host({ name: 'a-fails', cluster: 'core' }), host({ name: 'b-passes', cluster: 'core' }), down.outcome] },
    );
    for (const all of [false, true]) {
      const text = renderText(result, { color: false, all });
      const hostRows = text.slice(text.indexOf('HOSTS'), text.indexOf('FINDINGS')).split('\n').slice(2, 5);
      expect(hostRows.map((row) => row.split(/ +/).slice(0, 3).join(' '))).toEqual(['ERROR edge z-down', 'FAIL core a-fails', 'PASS core b-passes']);
      expect(hostRows[0]).toMatch(/ 13 {2}not audited: the scan was interrupted before this host finished$/);
      const findingRows = text.slice(text.indexOf('FINDINGS'), text.indexOf('ETCD CLUSTERS')).split('\n').slice(2, -2);
      expect(findingRows[0]).toMatch(/^ERROR +z-down +all 13 +- +not audited: the scan was interrupted/);
      expect(findingRows).toContainEqual(expect.stringMatching(/^ERROR +a-fails +2\.6 +etcd-peer-auto-tls +cannot read \/etc\/etcd\.env$/));
      expect(findingRows).toHaveLength(all ? 4 : 3);
      expect(text).toMatch(/^TOTAL {2}1 PASS · 1 FAIL · 0 WARN · 0 N\/A · 14 ERROR \(13 ERROR on the host not audited\)$/m);
    }
  });

  it('escapes the reason a hostile result gives for a host it did not audit', () => {
    const down = unaudited(`down${PAYLOAD}`, `refused${PAYLOAD}`);
    const text = renderText(scanResult(down.findings, { hosts: [down.outcome] }), { color: false, all: false });
    expect(rawControls(text)).toEqual([]);
    expect(text).toContain(`all 13   -     not audited: refused${PAYLOAD_SHOWN}\n`);
  });
});

describe('renderText next steps', () => {
  const result = scanResult([finding()]);
  const section = (text: string) => text.slice(text.indexOf('\nNEXT STEPS\n'));

  it('ends a scan report on stdout with where to go next, and says nothing of it elsewhere', () => {
    const text = renderText(result, { color: false, all: false, nextSteps: { command: 'scan' } });
    expect(text.endsWith('\n')).toBe(true);
    expect(section(text)).toBe(
      [
        '\nNEXT STEPS',
        '  interactive report  run the scan in a terminal; or save the result with -o result.json,',
        '                      then open it with: fleetbench report result.json',
        '  HTML report         add -o report.html (one self-contained file, for auditors)',
        '  remediation         Enter on a finding in the interactive report, or the HTML report, shows its evidence',
        '                      and remediation; --all lists every finding here, PASS and N/A too',
        '',
      ].join('\n'),
    );
    expect(renderText(result, { color: false, all: false })).not.toContain('NEXT STEPS');
  });

  it('names the files a scan wrote, and the saved result a report was read from, quoted for the shell', () => {
    const scan = renderText(result, { color: false, all: true, nextSteps: { command: 'scan', resultFiles: ['out/r.json'], htmlFile: 'out/r.html' } });
    expect(section(scan)).toContain('  interactive report  fleetbench report out/r.json   (in a terminal: hosts, controls, each finding)\n');
    expect(section(scan)).toContain('  HTML report         written to out/r.html\n');
    expect(section(scan)).not.toContain('--all');

    const report = renderText(result, { color: false, all: false, nextSteps: { command: 'report', resultFiles: ["Monday's scan.json"] } });
    expect(section(report)).toContain(`  interactive report  fleetbench report 'Monday'\\''s scan.json'   (in a terminal`);
    expect(section(report)).toContain(`  HTML report         fleetbench report 'Monday'\\''s scan.json' --format html > report.html\n`);

    const merged = renderText(result, { color: false, all: false, nextSteps: { command: 'report', resultFiles: ['east.json', 'west dc.json'] } });
    expect(section(merged)).toContain(`  HTML report         fleetbench report east.json 'west dc.json' --format html > report.html\n`);
  });

  it('shows a file name with control characters escaped', () => {
    const text = renderText(result, { color: false, all: false, nextSteps: { command: 'report', resultFiles: [`r${PAYLOAD}.json`] } });
    expect(rawControls(text)).toEqual([]);
    expect(text).toContain(`fleetbench report 'r${PAYLOAD_SHOWN}.json' --format html`);
  });
});

describe('renderText of a result that covers part of the fleet', () => {
  const lines = (result: ScanResult) => renderText(result, { color: false, all: false }).split('\n');

  it('says nothing of coverage for a whole, uninterrupted scan', () => {
    const text = lines(scanResult([finding()]));
    expect(text[2]).toBe('HOSTS');
    expect(text).toContain('  prod: 1 member(s) (inventory)');
  });

  it('says right under its first line what a partial scan left out, and at the cluster scanned in part how much of it was', () => {
    const text = lines(partialScan());
    expect(text.slice(2, 7)).toEqual([
      'PARTIAL SCAN (this report says nothing about what it left out)',
      "  --limit 'prod:!cp[34]' left out 12 hosts of the inventory",
      '  --skip 2.6 left out 1 control: etcd-no-peer-auto-tls',
      '',
      'HOSTS',
    ]);
    expect(text).toContain('  prod: 4 member(s) (4 etcd hosts in the inventory); 2 of 4 hosts scanned; cp3, cp4 left out by --limit');
  });

  it('says an interrupted scan, a merged report and what the baseline comparison left out, in that order', () => {
    const merged = { ...mergedScans(), interrupted: true, baseline: comparedInPart().baseline! };
    const headings = lines(merged).filter((line) => /^[A-Z]{3,}/.test(line));
    expect(headings.slice(0, 4)).toEqual([
      'INTERRUPTED (stopped by SIGINT or SIGTERM before it finished)',
      'MERGED FROM 2 RESULTS (one report of several scans, each with what it covered)',
      'NOT COMPARED WITH THE BASELINE (neither new nor resolved: only what both scans covered is compared)',
      'HOSTS',
    ]);
    expect(lines(merged)).toContain('  together they scan 3 of the 5 hosts of fleet/: 2 hosts in none of them');
  });

  it('shows the names a hostile result gives what it left out with their control characters spelled out', () => {
    const result = partialScan();
    result.selection!.limit = `prod${PAYLOAD}`;
    result.clusters[0]!.notScanned = [`cp3${PAYLOAD}`];
    const text = renderText(result, { color: false, all: false });
    expect(rawControls(text)).toEqual([]);
    expect(text).toContain(`  --limit 'prod${PAYLOAD_SHOWN}' left out 12 hosts of the inventory\n`);
    expect(text).toContain(`2 of 3 hosts scanned; cp3${PAYLOAD_SHOWN} left out by --limit\n`);
  });
});
