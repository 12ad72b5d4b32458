import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { NamespaceFleet } from '../spec.js';
import type { Layout } from './layout.js';

/** A fleetbench native inventory for the fleet: one cluster per layout, the probe through sudo as the login user. */
export async function writeInventory(path: string, fleet: NamespaceFleet, layouts: Layout[]): Promise<void> {
  const clusters = Object.fromEntries(
    layouts.map((layout) => [layout.cluster, { hosts: layout.hosts.map((name) => ({ name, address: fleet.host(name).address, roles: layout.roles })) }]),
  );
  const inventory = { defaults: { user: fleet.user, port: fleet.hosts[0]?.port ?? 22, become: true }, clusters };
  await writeFile(path, `# The end-to-end fleet: test hosts in network namespaces, one cluster per layout of fixtures/e2e.\n${stringify(inventory)}`);
}
