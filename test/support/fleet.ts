import type { FleetAccess } from '../../src/demo/fleet-access.js';
import { loadFleet, serveFleet } from '../../src/demo/fleet-file.js';
import type { FleetMember } from '../../src/demo/fleet-file.js';
import type { FleetHostSpec } from '../../src/demo/ssh-fleet.js';
import { loadInventory } from '../../src/inventory/load.js';
import type { ScanResult } from '../../src/model.js';
import { loadRules } from '../../src/rules/rule-file.js';
import { scan } from '../../src/scan/scan.js';
import type { ScanEvent, ScanOptions } from '../../src/scan/scan.js';

export interface FleetRun {
  result: ScanResult;
  members: FleetMember[];
  events: ScanEvent[];
}

/** Serves fleet members over real SSH on loopback, scans them through the inventory path, and stops them. */
export async function scanMembers(
  members: FleetMember[],
  overrides: Partial<Omit<ScanOptions, 'inventory' | 'ssh'>> & { ssh?: (access: FleetAccess) => ScanOptions['ssh']; loginUser?: string } = {},
): Promise<FleetRun> {
  const { ssh, loginUser, ...rest } = overrides;
  const { access, inventoryFile, stop } = await serveFleet(members, loginUser === undefined ? {} : { user: loginUser });
  const events: ScanEvent[] = [];
  try {
    const inventory = await loadInventory(inventoryFile);
    const result = await scan({
      inventory,
      rules: await loadRules(),
      benchmark: '1.12',
      concurrency: 16,
      hostTimeoutMs: 10_000,
      maxOutputBytes: 16 << 20,
      onEvent: (event) => events.push(event),
      ...rest,
      ssh: ssh ? ssh(access) : access.ssh,
    });
    return { result, members, events };
  } finally {
    await stop();
  }
}

export async function scanFleetFile(name: string): Promise<FleetRun> {
  return scanMembers(await loadFleet(name));
}

/** A member that misbehaves on purpose, in a cluster of its own. */
export function oddHost(name: string, behaviour: FleetHostSpec['behaviour'], extra: Partial<FleetHostSpec> = {}): FleetMember {
  return { cluster: name, name, roles: ['etcd', 'control-plane'], become: true, spec: { name, behaviour, ...extra } };
}

/** A control-plane host that accepts the connection and never answers: a scan can only give up on it, or be interrupted. */
export const STUCK_HOST: FleetMember = {
  cluster: 'stuck',
  name: 'stuck-cp1',
  roles: ['etcd', 'control-plane'],
  become: true,
  spec: { name: 'stuck-cp1', behaviour: { kind: 'hang' } },
};
