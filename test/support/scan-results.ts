import type { Finding, HostOutcome, ScanResult } from '../../src/model.js';

// Small hand-made scan results for the report and waiver tests: every field set, so that a test
// overrides only what it is about. Real scans of fixture fleets live in ./fleet.ts.

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    host: 'cp1',
    cluster: 'prod',
    ruleId: 'etcd-client-cert-auth',
    control: '2.2',
    title: 'Ensure that the --client-cert-auth argument is set to true',
    status: 'FAIL',
    reason: '--client-cert-auth is false',
    expected: '--client-cert-auth=true',
    actual: '--client-cert-auth=false',
    evidence: [{ source: 'process 1795 command line', key: '--client-cert-auth', value: 'false' }],
    remediation: 'Set --client-cert-auth=true and restart etcd.',
    ...overrides,
  };
}

export function host(overrides: Partial<HostOutcome> = {}): HostOutcome {
  return {
    name: 'cp1',
    cluster: 'prod',
    address: '10.0.0.1',
    port: 22,
    roles: ['etcd', 'control-plane'],
    reached: true,
    privilege: 'sudo',
    problems: [],
    durationMs: 120,
    ...overrides,
  };
}

/** A result whose hosts are derived from the findings given (one reached host per name). */
export function scanResult(findings: Finding[], overrides: Partial<ScanResult> = {}): ScanResult {
  const hosts = [...new Map(findings.map((f) => [f.host, host({ name: f.host, cluster: f.cluster })])).values()];
  const clusters = [...new Set(findings.map((f) => f.cluster))].map((name) => ({
    name,
    inventoryMembers: hosts.filter((h) => h.cluster === name).map((h) => h.name),
    memberCount: hosts.filter((h) => h.cluster === name).length,
    memberCountBasis: 'inventory',
  }));
  return {
    schemaVersion: '1.0',
    tool: { name: 'fleetbench', version: '0.1.0' },
    benchmark: 'cis-1.12',
    startedAt: '2026-11-25T10:00:00.000Z',
    finishedAt: '2026-11-25T10:00:02.500Z',
    inventory: 'inventory/fleet.yaml',
    clusters,
    hosts,
    findings,
    ...overrides,
  };
}

/**
 * A scan that --limit and --skip narrowed: cp1 and cp2 of cluster prod scanned, its cp3 and cp4
 * (and the 10 hosts of the inventory's other clusters) left out, control 2.6 skipped.
 */
export function partialScan(): ScanResult {
  const result = scanResult([finding({ host: 'cp1' }), finding({ host: 'cp2', status: 'PASS' })], {
    schemaVersion: '1.1',
    selection: { limit: 'prod:!cp[34]', skip: ['2.6'], hostsLeftOut: 12, rulesLeftOut: ['etcd-no-peer-auto-tls'] },
  });
  // The members left out still count, as the inventory lists them.
  result.clusters[0] = {
    name: 'prod',
    inventoryMembers: ['cp1', 'cp2', 'cp3', 'cp4'],
    memberCount: 4,
    memberCountBasis: '4 etcd hosts in the inventory',
    notScanned: ['cp3', 'cp4'],
  };
  return result;
}

/** One report of two scans of one inventory of 5 hosts, each --limit'ed to a datacenter: one host is in neither. */
export function mergedScans(): ScanResult {
  return scanResult(
    [finding({ host: 'a1', cluster: 'dc1' }), finding({ host: 'b1', cluster: 'dc2', status: 'PASS' }), finding({ host: 'b2', cluster: 'dc2', status: 'PASS' })],
    {
      schemaVersion: '1.1',
      inventory: 'fleet/',
      startedAt: '2026-12-01T10:00:00.000Z',
      finishedAt: '2026-12-01T10:05:00.000Z',
      mergedFrom: [
        {
          file: 'dc1.json',
          inventory: 'fleet/',
          startedAt: '2026-12-01T10:00:00.000Z',
          finishedAt: '2026-12-01T10:01:00.000Z',
          hosts: 1,
          selection: { limit: 'dc1', hostsLeftOut: 4, rulesLeftOut: [] },
        },
        {
          file: 'dc2.json',
          inventory: 'fleet/',
          startedAt: '2026-12-01T10:04:00.000Z',
          finishedAt: '2026-12-01T10:05:00.000Z',
          hosts: 2,
          selection: { limit: 'dc2', check: ['2.2'], hostsLeftOut: 3, rulesLeftOut: ['etcd-cert-file', 'etcd-no-auto-tls'] },
        },
      ],
    },
  );
}

/** A scan compared with a baseline that had another host and another control. */
export function comparedInPart(): ScanResult {
  return scanResult([finding({ host: 'cp1', change: 'unchanged' }), finding({ host: 'cp5', status: 'PASS' })], {
    schemaVersion: '1.1',
    baseline: {
      file: 'monday.json',
      startedAt: '2026-11-23T10:00:00.000Z',
      counts: { new: 0, unchanged: 1, changed: 0, resolved: 0 },
      resolved: [],
      notCompared: { hostsOnlyNow: ['cp5'], hostsOnlyBefore: ['cp3', 'cp4'], rulesOnlyNow: [], rulesOnlyBefore: ['etcd-unique-ca'] },
    },
  });
}
