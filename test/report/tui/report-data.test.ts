import { describe, expect, it } from 'vitest';
import { tuiFleetData } from './fixture.js';

describe('buildReportData', () => {
  const data = tuiFleetData();

  it('orders clusters worst first, and hosts worst first within them', () => {
    expect(data.clusters.map((c) => [c.name, c.worst])).toEqual([
      ['hostile', 'FAIL'],
      ['prod', 'FAIL'],
      ['staging', 'FAIL'],
      ['legacy', 'ERROR'],
    ]);
    expect(data.clusters[1]!.hosts.map((h) => h.host.name)).toEqual(['prod-cp2', 'prod-cp1', 'prod-cp3']);
  });

  it('groups findings by control, with the controls failing on the most hosts first', () => {
    expect(data.controls.map((c) => [c.control, c.worst, c.counts.FAIL])).toEqual([
      ['2.2', 'FAIL', 2],
      ['1.1.11', 'FAIL', 1],
      ['2.3', 'FAIL', 1],
      ['-', 'WARN', 0],
    ]);
    expect(data.controls[0]!.findings.filter((f) => f.status === 'FAIL').map((f) => f.host)).toEqual(['evil-1', 'stage-1']);
  });

  it("lists a host's findings worst first, then in control order", () => {
    expect(data.findingsByHost.get('stage-1')!.map((f) => `${f.status} ${f.control}`)).toEqual(['FAIL 2.2', 'FAIL 2.3', 'WARN -', 'WARN -', 'PASS 1.1.11']);
  });

  it('tells apart two findings of one rule on one host', () => {
    const [first, second] = data.findingsByHost.get('stage-1')!.filter((f) => f.ruleId === 'etcd-cluster-membership');
    expect(data.findingIds.get(first!)).not.toBe(data.findingIds.get(second!));
  });
});
