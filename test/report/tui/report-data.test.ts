import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../../src/report/tui/report/report-data.js';
import { tuiFleet, tuiFleetData } from './fixture.js';

describe('buildReportData', () => {
  const data = tuiFleetData();

  it('puts the hosts not audited first, then clusters worst first, and hosts worst first within them', () => {
    expect(data.clusters.map((c) => [c.name, c.notAudited, c.worst])).toEqual([
      ['legacy', true, 'ERROR'],
      ['hostile', false, 'FAIL'],
      ['prod', false, 'FAIL'],
      ['staging', false, 'FAIL'],
    ]);
    expect(data.clusters[2]!.hosts.map((h) => h.host.name)).toEqual(['prod-cp2', 'prod-cp1', 'prod-cp3']);
  });

  it("sets a cluster's hosts not audited apart, above every cluster, and says so in both groups", () => {
    const result = tuiFleet();
    // prod-cp1 could not be reached this time: prod-cp2's FAIL must not push it down.
    result.hosts = result.hosts.map((h) => (h.name === 'prod-cp1' ? { ...h, reached: false, error: 'timed out', problems: [] } : h));
    const groups = buildReportData(result).clusters.map((c) => [c.name, c.notAudited, c.hosts.map((h) => h.host.name), c.elsewhere]);
    expect(groups.slice(0, 2)).toEqual([
      ['legacy', true, ['legacy-1'], 0],
      ['prod', true, ['prod-cp1'], 2],
    ]);
    expect(groups).toContainEqual(['prod', false, ['prod-cp2', 'prod-cp3'], 1]);
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
