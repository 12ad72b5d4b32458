import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { InventoryOptions } from '../inventory/inventory-options.js';
import { describeKeys, describeRoute } from '../inventory/jump-targets.js';
import { loadSshConfig } from '../inventory/ssh-config-file.js';
import type { Inventory } from '../model.js';
import { columns } from '../report/columns.js';
import { safeLine } from '../report/terminal-text.js';
import { userProblem } from '../inventory/value-checks.js';
import { loadInventories } from '../inventory/load.js';
import { INVENTORY_COMMAND } from './commands.js';
import { EXIT } from './exit-codes.js';
import { printHelp } from './help.js';
import { parseCommand, UsageError } from './option-table.js';
import type { Environment } from './options.js';
import { oneOf } from './options.js';
import type { Io } from './scan-command.js';
import { limitedTargets } from './scope.js';

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

/** `fleetbench inventory`: the targets (those --limit names) as they will be scanned, without connecting to any. */
export async function runInventory(args: readonly string[], environment: Environment, io: Pick<Io, 'stdout'>): Promise<number> {
  const { values } = parseCommand(INVENTORY_COMMAND, args);
  if (values.help) return printHelp(INVENTORY_COMMAND, io);
  if (!values.inventory) throw new UsageError('inventory needs an inventory: fleetbench inventory -i inventory.yaml');
  const format = values.format === undefined ? 'text' : oneOf('--format', values.format, ['text', 'json'] as const);
  const loaded = await loadInventories(values.inventory, await inventoryOptions(values, environment));
  const inventory = values.limit === undefined ? loaded : { ...loaded, targets: await limitedTargets(loaded, values.limit) };
  io.stdout.write(format === 'json' ? `${JSON.stringify(inventory, null, 2)}\n` : renderInventory(inventory));
  return EXIT.ok;
}

/** The targets as a table: how each is reached, with which keys, and where it is written. */
function renderInventory(inventory: Inventory): string {
  const rows = inventory.targets.map((t) => {
    const at = inventory.writtenAt?.[t.name];
    return [
      t.cluster,
      t.name,
      t.roles.join(',') || '-',
      `${t.address}:${t.port}`,
      t.user,
      t.become ? 'sudo' : '-',
      describeRoute(t) || '-',
      describeKeys(t),
      at === undefined ? '-' : `${at.file}:${at.line}`,
    ];
  });
  const header = ['CLUSTER', 'HOST', 'ROLES', 'ADDRESS', 'USER', 'BECOME', 'VIA', 'KEYS', 'WRITTEN AT'];
  const clusters = new Set(inventory.targets.map((t) => t.cluster)).size;
  const notes = (inventory.warnings ?? []).map((w) => `note: ${w}`);
  return (
    [`${inventory.source}: ${inventory.targets.length} hosts in ${clusters} clusters`, '', ...columns(header, rows), ...(notes.length ? ['', ...notes] : [])]
      .map(safeLine)
      .join('\n') + '\n'
  );
}
