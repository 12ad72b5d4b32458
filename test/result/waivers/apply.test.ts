import { describe, expect, it } from 'vitest';
import { applyWaivers } from '../../../src/result/waivers/apply.js';
import type { WaiverEntry } from '../../../src/result/waivers/waiver-file.js';
import { finding, scanResult } from '../../support/scan-results.js';

const TODAY = new Date('2026-11-25T23:30:00Z');

function waiver(overrides: Partial<WaiverEntry> = {}): WaiverEntry {
  return { rule: 'etcd-client-cert-auth', host: '*', justification: 'accepted by security (RISK-1)', expires: '2026-12-31', source: 'w.yaml:2', ...overrides };
}

describe('applyWaivers', () => {
  it('marks covered FAIL and WARN findings with the waiver and keeps their status and evidence', () => {
    const fail = finding({ host: 'cp1', status: 'FAIL' });
    const warn = finding({ host: 'cp2', status: 'WARN' });
    const result = applyWaivers(scanResult([fail, warn]), [waiver()], TODAY);
    for (const f of result.findings) {
      expect(f.waiver).toEqual({ justification: 'accepted by security (RISK-1)', expires: '2026-12-31', source: 'w.yaml:2' });
    }
    expect(result.findings.map((f) => f.status)).toEqual(['FAIL', 'WARN']);
    expect(result.findings[0]!.evidence).toEqual(fail.evidence);
    expect(result.expiredWaivers).toBeUndefined();
  });

  it('never waives ERROR (not an accepted risk), nor PASS or NOT_APPLICABLE', () => {
    const statuses = ['ERROR', 'PASS', 'NOT_APPLICABLE'] as const;
    const result = applyWaivers(scanResult(statuses.map((status, i) => finding({ host: `cp${i}`, status }))), [waiver()], TODAY);
    expect(result.findings.filter((f) => f.waiver !== undefined)).toEqual([]);
  });

  it('matches the rule by id or by control number, and hosts and clusters by glob (both when both are given)', () => {
    const findings = [
      finding({ host: 'stage-node1', cluster: 'staging' }),
      finding({ host: 'stage-node2', cluster: 'staging', ruleId: 'etcd-no-auto-tls', control: '2.3' }),
      finding({ host: 'prod-node1', cluster: 'prod' }),
      finding({ host: 'stage-node3', cluster: 'prod' }),
    ];
    const waived = (waivers: WaiverEntry[]) =>
      applyWaivers(scanResult(findings), waivers, TODAY)
        .findings.filter((f) => f.waiver)
        .map((f) => f.host);
    expect(waived([waiver({ host: 'stage-*' })])).toEqual(['stage-node1', 'stage-node3']);
    expect(waived([waiver({ host: undefined, cluster: 'staging' })])).toEqual(['stage-node1']);
    expect(waived([waiver({ rule: '2.3', host: undefined, cluster: 'stag?ng' })])).toEqual(['stage-node2']);
    expect(waived([waiver({ host: 'stage-*', cluster: 'prod' })])).toEqual(['stage-node3']);
    expect(waived([waiver({ rule: '2.2', host: 'prod-node1' })])).toEqual(['prod-node1']);
    expect(waived([waiver({ rule: 'etcd-peer-cert-file' })])).toEqual([]);
  });

  it('uses the first covering waiver in the file', () => {
    const result = applyWaivers(scanResult([finding()]), [waiver({ source: 'w.yaml:2' }), waiver({ source: 'w.yaml:8' })], TODAY);
    expect(result.findings[0]!.waiver!.source).toBe('w.yaml:2');
  });

  it('applies through its expiry day (UTC) and from the next day on stops and is listed as expired', () => {
    const lastDay = waiver({ expires: '2026-11-25', host: 'cp*' });
    const expired = waiver({ expires: '2026-11-24', cluster: 'prod', host: 'cp1', source: 'w.yaml:9' });
    const result = applyWaivers(scanResult([finding()]), [expired, lastDay], TODAY);
    expect(result.findings[0]!.waiver!.expires).toBe('2026-11-25');
    expect(result.expiredWaivers).toEqual([
      {
        rule: 'etcd-client-cert-auth',
        hosts: 'cluster prod, host cp1',
        justification: 'accepted by security (RISK-1)',
        expires: '2026-11-24',
        source: 'w.yaml:9',
      },
    ]);
    const nextDay = applyWaivers(scanResult([finding()]), [lastDay], new Date('2026-11-26T00:00:00Z'));
    expect(nextDay.findings[0]!.waiver).toBeUndefined();
    expect(nextDay.expiredWaivers!.map((w) => w.hosts)).toEqual(['host cp*']);
  });

  it('does not modify its input', () => {
    const input = scanResult([finding()]);
    const before = structuredClone(input);
    applyWaivers(input, [waiver(), waiver({ expires: '2020-01-01' })], TODAY);
    expect(input).toEqual(before);
  });
});
