import { describe, expect, it } from 'vitest';
import { clusterCoverage, coverageAndWaiverNotes, coverageNotes, hostsLeftOut, rulesLeftOut } from '../../src/report/coverage.js';
import { comparedInPart, finding, host, mergedScans, partialScan, scanResult } from '../support/scan-results.js';

describe('coverageNotes', () => {
  it('says nothing of a whole, uninterrupted scan', () => {
    const result = scanResult([finding(), finding({ host: 'cp2' })]);
    expect(coverageNotes(result)).toEqual([]);
    expect(hostsLeftOut(result)).toBe(0);
    expect(rulesLeftOut(result)).toEqual([]);
    expect(clusterCoverage(result.clusters[0]!, 2)).toBeUndefined();
    expect(coverageAndWaiverNotes(result)).toEqual([]);
  });

  it('names the options of a partial scan, what each left out, and the hosts of a cluster scanned in part', () => {
    const result = partialScan();
    expect(coverageNotes(result)).toEqual([
      {
        kind: 'partial-scan',
        title: 'Partial scan',
        meaning: 'this report says nothing about what it left out',
        summary: 'Partial scan: 12 hosts and 1 control left out (--limit, --skip)',
        details: ["--limit 'prod:!cp[34]' left out 12 hosts of the inventory", '--skip 2.6 left out 1 control: etcd-no-peer-auto-tls'],
      },
    ]);
    expect(hostsLeftOut(result)).toBe(12);
    expect(rulesLeftOut(result)).toEqual(['etcd-no-peer-auto-tls']);
    expect(clusterCoverage(result.clusters[0]!, 2)).toBe('2 of 4 hosts scanned; cp3, cp4 left out by --limit');
  });

  it('counts the hosts an interrupted scan did not finish, first of the notes', () => {
    const result = { ...partialScan(), interrupted: true };
    result.hosts.push(host({ name: 'cp9', reached: false, errorKind: 'not-scanned', error: 'the scan was interrupted' }));
    const notes = coverageNotes(result);
    expect(notes.map((note) => note.kind)).toEqual(['interrupted', 'partial-scan']);
    expect(notes[0]!.summary).toBe('Interrupted: 1 host not scanned');
    expect(notes[0]!.details).toEqual(['1 host not finished: not audited, every control of theirs ERROR']);
  });

  it('lists each scan of a merged report with its limits, and the hosts of the inventory in none of them', () => {
    const result = mergedScans();
    const [note, ...others] = coverageNotes(result);
    expect(others).toEqual([]);
    expect(note?.summary).toBe('Merged from 2 results: dc1.json, dc2.json; 2 hosts in none of them');
    expect(note?.details).toEqual([
      'dc1.json: inventory fleet/, 1 host, scanned 2026-12-01 10:00 UTC; --limit dc1 left out 4 hosts of its inventory',
      'dc2.json: inventory fleet/, 2 hosts, scanned 2026-12-01 10:04 UTC; --limit dc2 left out 3 hosts of its inventory; --check 2.2 left out 2 controls: etcd-cert-file, etcd-no-auto-tls',
      'together they scan 3 of the 5 hosts of fleet/: 2 hosts in none of them',
    ]);
    expect(hostsLeftOut(result)).toBe(2);
    expect(rulesLeftOut(result)).toEqual(['etcd-cert-file', 'etcd-no-auto-tls']);
  });

  it('does not guess the hosts left out of a merged report whose scans of different inventories were limited', () => {
    const result = mergedScans();
    result.mergedFrom![1]!.inventory = 'other/';
    expect(hostsLeftOut(result)).toBeUndefined();
    const [note] = coverageNotes(result);
    expect(note?.summary).toBe('Merged from 2 results: dc1.json, dc2.json; hosts left out unknown');
    expect(note?.details.at(-1)).toBe('whether together they cover their inventories cannot be told: they scanned different inventories, some with --limit');
  });

  it('says a merged report of whole scans covers everything they scanned', () => {
    const result = mergedScans();
    for (const source of result.mergedFrom!) delete source.selection;
    result.mergedFrom![1]!.inventory = 'other/';
    expect(hostsLeftOut(result)).toBe(0);
    expect(coverageNotes(result)[0]?.summary).toBe('Merged from 2 results: dc1.json, dc2.json');
  });

  it('names the hosts and controls only one side of a baseline comparison has', () => {
    expect(coverageNotes(comparedInPart())).toEqual([
      {
        kind: 'not-compared',
        title: 'Not compared with the baseline',
        meaning: 'neither new nor resolved: only what both scans covered is compared',
        summary: 'Not compared with the baseline: 1 host only in this scan, 2 hosts only in the baseline, 1 control only in the baseline',
        details: ['1 host only in this scan: cp5', '2 hosts only in the baseline: cp3, cp4', '1 control only in the baseline: etcd-unique-ca'],
      },
    ]);
  });

  it('lists ten names and counts the rest', () => {
    const result = partialScan();
    result.clusters[0]!.notScanned = Array.from({ length: 13 }, (_, i) => `cp${i + 3}`);
    expect(clusterCoverage(result.clusters[0]!, 2)).toBe(
      '2 of 15 hosts scanned; cp3, cp4, cp5, cp6, cp7, cp8, cp9, cp10, cp11, cp12, … and 3 more left out by --limit',
    );
  });

  it('says which waivers expired, after the other notes, for the reports that have no section for them', () => {
    const result = scanResult([finding()], {
      expiredWaivers: [{ rule: '2.3', hosts: 'cluster lab', justification: 'lab only', expires: '2026-01-31', source: 'w.yaml:9' }],
    });
    expect(coverageNotes(result)).toEqual([]);
    expect(coverageAndWaiverNotes(result)).toEqual([
      {
        kind: 'expired-waivers',
        title: 'Expired waivers',
        meaning: 'no longer applied: the findings they covered count again; renew or remove them',
        summary: '1 waiver expired, no longer applied',
        details: ['2.3 cluster lab: expired after 2026-01-31 (w.yaml:9): lab only'],
      },
    ]);
    expect(coverageAndWaiverNotes({ ...result, interrupted: true }).map((note) => note.kind)).toEqual(['interrupted', 'expired-waivers']);
  });
});
