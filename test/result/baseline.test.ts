import { describe, expect, it } from 'vitest';
import type { Finding, ScanResult, Status } from '../../src/model.js';
import { compareWithBaseline as compareWithResult } from '../../src/result/baseline.js';
import { ResultFileError, validateResult } from '../../src/result/result-file.js';
import { finding, scanResult } from '../support/scan-results.js';

/** Compares with a baseline document the way fleetbench scan --baseline does: read and checked first. */
function compareWithBaseline(current: ScanResult, previous: unknown, file: string): ScanResult {
  return compareWithResult(current, validateResult(previous, file), file);
}

/** A baseline as it comes back from JSON.parse of an earlier run's file. */
function asFile(result: ScanResult): unknown {
  return JSON.parse(JSON.stringify(result));
}

function at(host: string, status: Status, overrides: Partial<Finding> = {}): Finding {
  return finding({ host, status, ...overrides });
}

describe('compareWithBaseline', () => {
  it('marks each finding by how its status moved, and lists what was resolved', () => {
    const before = scanResult([
      at('same-fail', 'FAIL'),
      at('same-pass', 'PASS'),
      at('fixed', 'FAIL'),
      at('broke', 'PASS'),
      at('unreachable', 'FAIL'),
      at('worse', 'WARN'),
      at('gone', 'WARN'),
      at('now-na', 'PASS'),
      at('error-gone', 'ERROR'),
    ]);
    const now = scanResult([
      at('same-fail', 'FAIL'),
      at('same-pass', 'PASS'),
      at('fixed', 'PASS'),
      at('broke', 'FAIL'),
      at('unreachable', 'ERROR'),
      at('worse', 'FAIL'),
      at('now-na', 'NOT_APPLICABLE'),
      at('error-gone', 'NOT_APPLICABLE'),
      at('added-fail', 'FAIL'),
      at('added-pass', 'PASS'),
    ]);
    const result = compareWithBaseline(now, asFile(before), 'previous.json');
    expect(Object.fromEntries(result.findings.map((f) => [f.host, f.change ?? 'none']))).toEqual({
      'same-fail': 'unchanged',
      'same-pass': 'unchanged',
      fixed: 'changed',
      broke: 'new',
      unreachable: 'new',
      worse: 'new',
      'now-na': 'changed',
      'error-gone': 'changed',
      // Not in the baseline's scan: nothing to compare with.
      'added-fail': 'none',
      'added-pass': 'none',
    });
    // 'gone' was not scanned this time: it may have been left out, not fixed.
    expect(result.baseline!.resolved.map((f) => [f.host, f.status])).toEqual([
      ['fixed', 'FAIL'],
      ['error-gone', 'ERROR'],
    ]);
    expect(result.baseline).toMatchObject({
      file: 'previous.json',
      startedAt: before.startedAt,
      counts: { new: 3, unchanged: 2, changed: 3, resolved: 2 },
      notCompared: { hostsOnlyNow: ['added-fail', 'added-pass'], hostsOnlyBefore: ['gone'], rulesOnlyNow: [], rulesOnlyBefore: [] },
    });
  });

  it('compares only the rules both scanned, as after --check or --skip', () => {
    const tls = { ruleId: 'etcd-no-auto-tls', control: '2.3' };
    const before = scanResult([at('cp1', 'FAIL'), at('cp1', 'FAIL', tls)]);
    const result = compareWithBaseline(scanResult([at('cp1', 'PASS')]), asFile(before), 'b.json');
    expect(result.findings.map((f) => f.change)).toEqual(['changed']);
    expect(result.baseline!.resolved.map((f) => f.ruleId)).toEqual(['etcd-client-cert-auth']);
    expect(result.baseline!.notCompared).toEqual({ hostsOnlyNow: [], hostsOnlyBefore: [], rulesOnlyNow: [], rulesOnlyBefore: ['etcd-no-auto-tls'] });
    expect(compareWithBaseline(scanResult([at('cp1', 'PASS')]), asFile(scanResult([at('cp1', 'FAIL')])), 'b.json').baseline).not.toHaveProperty('notCompared');
  });

  it('matches on host and rule id, not on control number or cluster', () => {
    const before = scanResult([at('cp1', 'FAIL', { control: '2.2', cluster: 'old' }), at('cp1', 'FAIL', { ruleId: 'etcd-no-auto-tls', control: '2.3' })]);
    const now = scanResult([at('cp1', 'FAIL', { control: '2.9', cluster: 'new' }), at('cp2', 'FAIL', { ruleId: 'etcd-no-auto-tls', control: '2.3' })]);
    const result = compareWithBaseline(now, asFile(before), 'b.json');
    // cp2 was not in the baseline's scan.
    expect(result.findings.map((f) => f.change)).toEqual(['unchanged', undefined]);
    expect(result.baseline!.resolved.map((f) => `${f.host} ${f.ruleId}`)).toEqual(['cp1 etcd-no-auto-tls']);
  });

  it('pairs several findings of one rule on one host by status and what was found', () => {
    const member = (name: string, status: Status) => at('cp1', status, { ruleId: 'etcd-cluster-membership', control: '-', actual: `member ${name}` });
    const before = scanResult([member('x', 'WARN'), member('y', 'WARN')]);
    const now = scanResult([member('y', 'WARN'), member('z', 'WARN')]);
    const result = compareWithBaseline(now, asFile(before), 'b.json');
    expect(result.findings.map((f) => f.change)).toEqual(['unchanged', 'unchanged']);
    expect(result.baseline!.resolved).toEqual([]);

    const fewer = compareWithBaseline(scanResult([member('y', 'WARN')]), asFile(before), 'b.json');
    expect(fewer.baseline!.resolved.map((f) => f.actual)).toEqual(['member x']);
  });

  it('reads a baseline of a newer minor version and keeps only the fields it knows in resolved findings', () => {
    const before = asFile(scanResult([at('cp1', 'FAIL', { change: 'new', waiver: { justification: 'j', expires: '2026-01-01', source: 'w:1' } })])) as Record<
      string,
      unknown
    >;
    before.schemaVersion = '1.7';
    before.tool = { name: 'fleetbench', version: '3.2.0' };
    before.newTopLevelField = { anything: true };
    (before.findings as Record<string, unknown>[])[0]!.severity = 'high';
    const result = compareWithBaseline(scanResult([at('cp1', 'PASS')]), before, 'b.json');
    const resolved = result.baseline!.resolved[0]!;
    expect(resolved).toEqual(at('cp1', 'FAIL'));
    expect(Object.keys(resolved)).not.toContain('severity');
  });

  it('refuses another schema major version, naming the file, both versions and what to do', () => {
    const before = { ...(asFile(scanResult([])) as object), schemaVersion: '2.0', tool: { name: 'fleetbench', version: '4.0.0' } };
    expect(() => compareWithBaseline(scanResult([]), before, 'old.json')).toThrow(
      new ResultFileError('old.json: schemaVersion "2.0" (written by fleetbench 4.0.0) is not supported; this fleetbench reads results of schema version 1.x'),
    );
  });

  it('refuses documents that are not results, saying where they are wrong', () => {
    const compare = (previous: unknown) => () => compareWithBaseline(scanResult([]), previous, 'b.json');
    expect(compare([1, 2])).toThrow(
      'b.json is not a fleetbench result: it has no schemaVersion; expected a file written by fleetbench --format json or -o FILE.json',
    );
    const broken = asFile(scanResult([at('cp1', 'FAIL')])) as { findings: Record<string, unknown>[] };
    broken.findings[0]!.status = 'MAYBE';
    broken.findings[0]!.evidence = [{ source: 'x', value: 3 }];
    delete broken.findings[0]!.host;
    expect(compare(broken)).toThrow(
      'b.json is not a valid fleetbench result:\n  findings[0].host: missing\n  findings[0].status: must be one of FAIL, ERROR, WARN, PASS, NOT_APPLICABLE, got "MAYBE"\n  findings[0].evidence[0].value: must be a string or null, got 3',
    );
    const many = asFile(scanResult([])) as Record<string, unknown>;
    many.findings = Array.from({ length: 7 }, () => 'x');
    expect(compare(many)).toThrow(/findings\[4\]: must be an object\n {2}… and 2 more$/);
  });

  it('does not modify its inputs', () => {
    const now = scanResult([at('cp1', 'FAIL')]);
    const before = asFile(scanResult([at('cp1', 'PASS')]));
    const copies = structuredClone([now, before]);
    compareWithBaseline(now, before, 'b.json');
    expect([now, before]).toEqual(copies);
  });
});
