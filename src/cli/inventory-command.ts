import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { InventoryOptions } from '../inventory/inventory-options.js';
import { describeKeys, describeRoute } from '../inventory/jump-targets.js';
import { loadSshConfig } from '../inventory/ssh-config-file.js';
import type { Inventory } from '../model.js';
import { columns } from '../report/columns.js';
import { safeLine } from '../report/terminal-text.js';
import type { Environment } from './options.js';
import { UsageError } from './options.js';
import { userProblem } from '../inventory/value-checks.js';

/** How to read inventories on this machine: with the user's ssh_config unless told otherwise. */
export async function inventoryOptions(
  values: { 'ssh-config'?: string; 'no-ssh-config'?: boolean; become?: boolean; user?: string },
  environment: Environment,
): Promise<InventoryOptions> {
  const options: InventoryOptions = { homeDir: environment.home, become: values.become ?? false, env: environment.env };
  if (values.user !== undefined) {
    const problem = userProblem(values.user);
    if (problem !== undefined) throw new UsageError(`--user ${JSON.stringify(values.user)} ${problem}`);
    options.user = values.user;
  }
  if (values['no-ssh-config']) return options;
  const path = values['ssh-config'] ?? join(environment.home, '.ssh', 'config');
  if (values['ssh-config'] === undefined && !existsSync(path)) return options;
  // ssh checks who may write ~/.ssh/config, not a file given with -F; fleetbench runs its ProxyCommands.
  options.sshConfig = await loadSshConfig(path, { home: environment.home, env: environment.env, checkPermissions: values['ssh-config'] === undefined });
  return options;
}

/**
 * Worker-only hosts run neither etcd nor kube-apiserver: nothing to audit there. Ansible and
 * kubespray inventories list them anyway; they are left out of the scan, saying so.
 */
export function controlPlaneOnly(inventory: Inventory, note: (message: string) => void): Inventory {
  const targets = inventory.targets.filter((t) => t.roles.some((role) => role !== 'worker'));
  const skipped = inventory.targets.length - targets.length;
  if (skipped > 0) note(`not scanning ${skipped} worker-only host${skipped === 1 ? '' : 's'} (no etcd or control-plane role in the inventory)`);
  return { ...inventory, targets };
}

/** `fleetbench inventory`: the targets as they will be scanned, without connecting to any. */
export function renderInventory(inventory: Inventory): string {
  const rows = inventory.targets.map((t) => [
    t.cluster,
    t.name,
    t.roles.join(',') || '-',
    `${t.address}:${t.port}`,
    t.user,
    t.become ? 'sudo' : '-',
    describeRoute(t) || '-',
    describeKeys(t),
  ]);
  const header = ['CLUSTER', 'HOST', 'ROLES', 'ADDRESS', 'USER', 'BECOME', 'VIA', 'KEYS'];
  const clusters = new Set(inventory.targets.map((t) => t.cluster)).size;
  const notes = (inventory.warnings ?? []).map((w) => `note: ${w}`);
  return (
    [`${inventory.source}: ${inventory.targets.length} hosts in ${clusters} clusters`, '', ...columns(header, rows), ...(notes.length ? ['', ...notes] : [])]
      .map(safeLine)
      .join('\n') + '\n'
  );
}
