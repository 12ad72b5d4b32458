import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Role } from '../model.js';
import { FIXTURES_DIR, loadFixture } from './fixtures.js';
import type { LoadedFixture } from './fixtures.js';
import { writeFleetAccess } from './fleet-access.js';
import type { FleetAccess } from './fleet-access.js';
import { startFleet } from './ssh-fleet.js';
import type { FleetHostSpec, FleetOptions, HostBehaviour, RunningFleet } from './ssh-fleet.js';

// A fleet file (fixtures/fleets/*.yaml) describes clusters of fixture hosts: what the demo and the
// integration tests serve over SSH.

export interface FleetMember {
  cluster: string;
  name: string;
  roles: Role[];
  become: boolean;
  spec: FleetHostSpec;
  fixture?: LoadedFixture;
}

interface RawFleet {
  clusters: Record<
    string,
    {
      hosts: {
        name: string;
        fixture?: string;
        behaviour?: Exclude<HostBehaviour['kind'], 'fixture'>;
        roles?: Role[];
        become?: boolean;
        wrongHostKey?: boolean;
      }[];
    }
  >;
}

export async function loadFleet(name: string): Promise<FleetMember[]> {
  const raw = parse(await readFile(`${FIXTURES_DIR}fleets/${name}.yaml`, 'utf8')) as RawFleet;
  const members: FleetMember[] = [];
  for (const [cluster, { hosts }] of Object.entries(raw.clusters)) {
    for (const host of hosts) {
      const fixture = host.fixture ? await loadFixture(host.fixture) : undefined;
      const behaviour: HostBehaviour = fixture ? { kind: 'fixture', fixture } : ({ kind: host.behaviour ?? 'refused' } as HostBehaviour);
      const spec: FleetHostSpec = { name: host.name, behaviour };
      if (host.wrongHostKey) spec.wrongHostKey = true;
      const member: FleetMember = { cluster, name: host.name, roles: host.roles ?? ['etcd', 'control-plane'], become: host.become ?? true, spec };
      if (fixture) member.fixture = fixture;
      members.push(member);
    }
  }
  return members;
}

/** A native inventory for a running fleet, as a user would write it. */
export function fleetInventory(members: FleetMember[], fleet: RunningFleet, keyFile: string): string {
  const clusters: Record<string, { hosts: object[] }> = {};
  members.forEach((member, i) => {
    const host = fleet.hosts[i]!;
    (clusters[member.cluster] ??= { hosts: [] }).hosts.push({
      name: member.name,
      address: host.address,
      port: host.port,
      roles: member.roles,
      become: member.become,
    });
  });
  return stringify({ defaults: { user: fleet.user, identityFile: keyFile }, clusters });
}

/** A fleet file's hosts served over SSH, with the inventory, known_hosts and key a user would have. */
export interface ServedFleet {
  members: FleetMember[];
  fleet: RunningFleet;
  access: FleetAccess;
  inventoryFile: string;
  stop(): Promise<void>;
}

export async function serveFleet(members: FleetMember[], options: FleetOptions = {}): Promise<ServedFleet> {
  const fleet = await startFleet(
    members.map((m) => m.spec),
    options,
  );
  const access = await writeFleetAccess(fleet);
  const stop = async () => {
    await fleet.stop();
    await access.remove();
  };
  try {
    const inventoryFile = join(access.dir, 'inventory.yaml');
    await writeFile(inventoryFile, fleetInventory(members, fleet, access.keyFile), { mode: 0o600 });
    return { members, fleet, access, inventoryFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
