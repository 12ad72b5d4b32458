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
