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
