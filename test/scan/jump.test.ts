import { describe, expect, it } from 'vitest';
import { writeFleetAccess } from '../../src/demo/fleet-access.js';
import { loadFixture } from '../../src/demo/fixtures.js';
import { startFleet } from '../../src/demo/ssh-fleet.js';
import type { FleetHostSpec } from '../../src/demo/ssh-fleet.js';
import type { Inventory, Target } from '../../src/model.js';
import { loadRules } from '../../src/rules/rule-file.js';
import { scan } from '../../src/scan/scan.js';

async function scanBehindBastion(targets: number, bastion: Partial<FleetHostSpec> & { maxChannels: number }) {
  const fixture = await loadFixture('kubeadm-single');
  const specs: FleetHostSpec[] = [
    { name: 'bastion', behaviour: { kind: 'bastion', maxChannels: bastion.maxChannels }, ...(bastion.wrongHostKey ? { wrongHostKey: true } : {}) },
    ...Array.from({ length: targets }, (_, i) => ({ name: `cp${i + 1}`, behaviour: { kind: 'fixture' as const, fixture } })),
  ];
  const fleet = await startFleet(specs);
  const access = await writeFleetAccess(fleet);
  try {
    const base = { port: 22, user: fleet.user, roles: ['etcd', 'control-plane'] as Target['roles'], become: true, identityFiles: [access.keyFile] };
    const hop: Target = { ...base, name: 'bastion', cluster: 'edge', address: fleet.hosts[0]!.address, port: fleet.hosts[0]!.port, roles: [] };
    const inventory: Inventory = {
      source: 'test',
      targets: fleet.hosts.slice(1).map((h) => ({ ...base, name: h.name, cluster: h.name, address: h.address, port: h.port, jump: hop })),
    };
    const result = await scan({
      inventory,
      rules: await loadRules(),
      benchmark: '1.12',
      concurrency: targets,
      hostTimeoutMs: 15_000,
      maxOutputBytes: 16 << 20,
      ssh: access.ssh,
    });
    return { result, stats: fleet.bastions.get('bastion')! };
  } finally {
    await fleet.stop();
    await access.remove();
  }
}

describe('targets behind a jump host', () => {
  it('carries the forwarded channels of many targets over few bastion connections', async () => {
    const { result, stats } = await scanBehindBastion(25, { maxChannels: 10 });
    expect(result.hosts.filter((h) => h.reached)).toHaveLength(25);
    expect(stats.channels).toBe(25);
    expect(stats.connections).toBeLessThanOrEqual(3);
    expect(stats.mostChannelsAtOnce).toBeLessThanOrEqual(10);
    expect(stats.refusedChannels).toBe(0);
  });

  it('verifies the bastion host key, and fails its targets at once when it does not match', async () => {
    const { result, stats } = await scanBehindBastion(8, { maxChannels: 10, wrongHostKey: true });
    expect(result.hosts.every((h) => !h.reached && h.errorKind === 'host-key')).toBe(true);
    expect(result.hosts[0]!.error).toMatch(/^jump host bastion: HOST KEY CHANGED/);
    expect(stats.connections).toBe(1);
  });
});
