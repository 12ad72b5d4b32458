import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor } from '../../src/cli/exit-codes.js';
import type { Finding, ScanResult, Status } from '../../src/model.js';

const finding = (status: Status, waived = false): Finding => ({
  host: 'h',
  cluster: 'c',
  ruleId: 'r',
  control: '2.2',
  title: 't',
  status,
  reason: 'why',
  expected: 'e',
  actual: 'a',
  evidence: [],
  remediation: 'fix',
  ...(waived ? { waiver: { justification: 'accepted', expires: '2099-01-01', source: 'w.yaml:3' } } : {}),
});

const result = (...findings: Finding[]): ScanResult => ({
  schemaVersion: '1.0',
  tool: { name: 'fleetbench', version: '0' },
  benchmark: 'cis-1.12',
  startedAt: '',
  finishedAt: '',
  inventory: 'i',
  clusters: [],
  hosts: [{ name: 'h', cluster: 'c', address: 'a', port: 22, roles: [], reached: true, problems: [], durationMs: 1 }],
  findings,
});

describe('exitCodeFor', () => {
  it('fails on FAIL, is incomplete on ERROR, passes otherwise', () => {
    expect(exitCodeFor(result(finding('PASS'), finding('FAIL')), 'fail')).toBe(EXIT.failed);
    expect(exitCodeFor(result(finding('PASS'), finding('ERROR')), 'fail')).toBe(EXIT.incomplete);
    expect(exitCodeFor(result(finding('PASS'), finding('WARN'), finding('NOT_APPLICABLE')), 'fail')).toBe(EXIT.ok);
  });

  it('lets --fail-on warn count WARN and --fail-on never ignore FAIL', () => {
    expect(exitCodeFor(result(finding('WARN')), 'warn')).toBe(EXIT.failed);
    expect(exitCodeFor(result(finding('FAIL')), 'never')).toBe(EXIT.ok);
  });

  it('does not let a waived FAIL or WARN fail the run', () => {
    expect(exitCodeFor(result(finding('FAIL', true), finding('PASS')), 'fail')).toBe(EXIT.ok);
    expect(exitCodeFor(result(finding('WARN', true)), 'warn')).toBe(EXIT.ok);
    expect(exitCodeFor(result(finding('FAIL', true), finding('FAIL')), 'fail')).toBe(EXIT.failed);
  });

  it('is incomplete when a host was not reached', () => {
    const unreached = result(finding('PASS'));
    unreached.hosts[0]!.reached = false;
    expect(exitCodeFor(unreached, 'fail')).toBe(EXIT.incomplete);
  });
});
