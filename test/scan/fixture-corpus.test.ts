import { describe, expect, it } from 'vitest';
import { scanFleetFile } from '../support/fleet.js';

// Every fixture host carries the verdicts fleetbench must reach on it. Scanned over real SSH
// (in-process servers on loopback), through the inventory, probe parser, rules and cluster facts.
describe.each(['demo', 'corpus'])('fleet %s', (fleetName) => {
  it('reaches the verdict each fixture expects, for every rule it names', async () => {
    const { result, members } = await scanFleetFile(fleetName);
    const mismatches: string[] = [];
    let checked = 0;
    for (const member of members) {
      for (const [ruleId, expected] of Object.entries(member.fixture?.expected ?? {})) {
        const finding = result.findings.find((f) => f.host === member.name && f.ruleId === ruleId);
        checked += 1;
        if (finding?.status !== expected) mismatches.push(`${member.name} ${ruleId}: expected ${expected}, got ${finding?.status} (${finding?.reason})`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });
});

// Without a manifest, the manifest controls say how etcd runs instead: from facts about it, not
// from how its configuration happens to be labelled.
it('says why there is no etcd manifest: embedded in k3s, or run by a systemd unit', async () => {
  const { result } = await scanFleetFile('corpus');
  const reason = (host: string) => result.findings.find((f) => f.host === host && f.ruleId === 'etcd-manifest-perms')?.reason;
  expect(reason('k3s-embedded-etcd')).toBe('etcd is embedded in k3s: there is no etcd pod specification file on this host');
  expect(reason('rhel-etcd-package')).toBe('etcd runs from the systemd unit etcd.service: there is no etcd pod specification file on this host');
});

// What etcd reads and what it acts on, said in the finding: the key it ignores with where it
// belongs, and the setting it reads but drops (auto TLS, a plain-http listener).
it('says which keys etcd ignores and which settings it does not act on', async () => {
  const { result } = await scanFleetFile('corpus');
  const finding = (host: string, rule: string) => result.findings.find((f) => f.host === host && f.ruleId === rule)!;

  const topLevel = finding('config-file-top-level-tls', 'etcd-client-cert-auth');
  expect(topLevel.reason).toMatch(
    /^--client-cert-auth is not set \(etcd defaults to false\); not in effect: client-cert-auth=true \(\/etc\/etcd\/etcd\.conf\.yml line 16, ignored by etcd: a TLS setting at the top level/,
  );
  expect(topLevel.evidence).toContainEqual({ source: '/etc/etcd/etcd.conf.yml', key: 'client-transport-security.client-cert-auth', value: null });

  const autoTls = finding('peer-auto-tls-replaces-peer-tls', 'etcd-peer-client-cert-auth');
  expect(autoTls.reason).toContain(
    'but --peer-auto-tls is on and neither --peer-cert-file nor --peer-key-file is given, so etcd replaces its whole peer TLS configuration with a self-signed certificate',
  );
  expect(finding('client-plain-http-listener', 'etcd-client-cert-auth').reason).toContain(
    'but etcd serves clients at http://127.0.0.1:2379 without TLS, where it asks for no certificate',
  );
  expect(finding('flags-client-cert-auth-false', 'etcd-client-cert-auth').reason).toContain("alone makes etcd's TLS listeners");
});
