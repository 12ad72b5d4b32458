import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model.js';
import { mergeResults } from '../../src/result/merge.js';
import { ResultFileError } from '../../src/result/result-file.js';
import { SCHEMA_VERSION } from '../../src/version.js';
import { finding, scanResult } from '../support/scan-results.js';
import { thrownMessage } from '../support/thrown.js';

// One scan per datacenter: dc1 from one bastion, dc2 from another.
const dc1 = scanResult([finding({ host: 'cp1', cluster: 'dc1' }), finding({ host: 'cp2', cluster: 'dc1', status: 'PASS' })], {
  inventory: 'dc1.yaml',
  startedAt: '2026-11-25T10:00:00.000Z',
  finishedAt: '2026-11-25T10:05:00.000Z',
  selection: { limit: 'dc1', hostsLeftOut: 3, rulesLeftOut: [] },
});
const dc2 = scanResult([finding({ host: 'cp7', cluster: 'dc2', status: 'PASS', change: 'changed' })], {
  inventory: 'dc2.yaml',
  startedAt: '2026-11-25T09:58:00.000Z',
  finishedAt: '2026-11-25T10:01:00.000Z',
  baseline: { file: 'last-week.json', startedAt: '2026-11-18T10:00:00.000Z', counts: { new: 0, unchanged: 0, changed: 1, resolved: 0 }, resolved: [] },
});

function refusal(parts: { file: string; result: ScanResult }[]): string {
  return thrownMessage(() => mergeResults(parts), ResultFileError);
}

describe('mergeResults', () => {
  it('makes one report of scans of different clusters, saying where each part came from', () => {
    const { result, notes } = mergeResults([
      { file: 'dc1.json', result: dc1 },
      { file: 'dc2.json', result: dc2 },
    ]);
    expect(result.hosts.map((h) => `${h.cluster}/${h.name}`)).toEqual(['dc1/cp1', 'dc1/cp2', 'dc2/cp7']);
    expect(result.findings.map((f) => [f.host, f.status, f.change])).toEqual([
      ['cp1', 'FAIL', undefined],
      ['cp2', 'PASS', undefined],
      ['cp7', 'PASS', undefined],
    ]);
    expect(result.clusters.map((c) => c.name)).toEqual(['dc1', 'dc2']);
    expect(result).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      inventory: 'dc1.yaml, dc2.yaml',
      startedAt: '2026-11-25T09:58:00.000Z',
      finishedAt: '2026-11-25T10:05:00.000Z',
      mergedFrom: [
        { file: 'dc1.json', inventory: 'dc1.yaml', hosts: 2, selection: { limit: 'dc1' } },
        { file: 'dc2.json', inventory: 'dc2.yaml', hosts: 1 },
      ],
    });
    expect(result).not.toHaveProperty('baseline');
    expect(notes).toEqual(['dc2.json was compared with a baseline of its own; the merged report leaves that out: compare it with --baseline']);
  });

  it('keeps one copy of a host that two parts report alike, timings aside', () => {
    const again = { ...dc1, hosts: dc1.hosts.map((h) => ({ ...h, durationMs: 999 })) };
    const { result } = mergeResults([
      { file: 'a.json', result: dc1 },
      { file: 'b.json', result: again },
    ]);
    expect(result.hosts.map((h) => h.name)).toEqual(['cp1', 'cp2']);
    expect(result.findings).toHaveLength(2);
  });

  it('refuses a host two parts give different findings, naming both files and the host', () => {
    const fixed = scanResult([finding({ host: 'cp1', cluster: 'dc1', status: 'PASS' }), finding({ host: 'cp2', cluster: 'dc1', status: 'PASS' })]);
    expect(
      refusal([
        { file: 'monday.json', result: dc1 },
        { file: 'tuesday.json', result: fixed },
      ]),
    ).toBe(
      "these results cannot be merged into one report:\n  host cp1 is in monday.json and in tuesday.json with different outcomes or findings: keep the one that is right (the later scan, usually) and leave the host out of the other with --limit '!cp1'",
    );
  });

  it('refuses a cluster whose hosts come from different scans, and results of different benchmarks', () => {
    const half = (host: string) => scanResult([finding({ host, cluster: 'prod' })]);
    expect(
      refusal([
        { file: 'a.json', result: half('cp1') },
        { file: 'b.json', result: half('cp2') },
      ]),
    ).toBe(
      'these results cannot be merged into one report:\n  cluster prod has hosts in a.json (cp1) and b.json (cp2): its facts (etcd member count, membership, shared CAs) need all its hosts in one scan; scan it whole in one of them (--limit prod)',
    );
    expect(
      refusal([
        { file: 'a.json', result: dc1 },
        { file: 'b.json', result: { ...dc2, benchmark: 'cis-1.6' } },
      ]),
    ).toBe(
      'these results cannot be merged into one report:\n  b.json is numbered for cis-1.6 and a.json for cis-1.12: merge results of scans with the same --benchmark',
    );
  });

  it('shows the control characters of names from a hostile file instead of sending them', () => {
    const hostile = scanResult([finding({ host: 'cp1\u001b[2J', cluster: 'dc1' })]);
    const message = refusal([
      { file: 'a.json', result: dc1 },
      { file: 'b.json', result: hostile },
    ]);
    expect(message).toContain('cp1\\e[2J');
    expect(message).not.toContain('\u001b');
  });
});
