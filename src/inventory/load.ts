import type { Inventory } from '../model.js';
import { readAnsibleInventory } from './ansible.js';
import { findVarsFiles } from './ansible-vars-files.js';
import { InventoryError } from './errors.js';
import { detectInventoryFormat, rejectIniInventory } from './inventory-format.js';
import type { InventoryOptions } from './inventory-options.js';
import { parseInventoryYaml } from './inventory-yaml.js';
import type { InventoryYaml } from './inventory-yaml.js';
import { readNativeInventory } from './native.js';
import { readUserFile } from '../yaml/user-file.js';

/**
 * Reads and parses an inventory file, native or Ansible YAML (see inventory-format.ts); an Ansible
 * one with the group_vars/ and host_vars/ beside it, as Ansible reads it. Throws
 * `InventoryError`, also when the file cannot be read.
 */
export async function loadInventory(path: string, opts: InventoryOptions = {}): Promise<Inventory> {
  const text = await readUserFile(path, 'the inventory', (found) => new InventoryError(found));
  const parsed = parseEither(text, path);
  if (detectInventoryFormat(parsed) === 'native') return readNativeInventory(parsed, opts);
  return readAnsibleInventory(parsed, { ...opts, varsFiles: await findVarsFiles(path) });
}

/**
 * Parses an inventory in either format; `file` is used in messages and as the base of relative
 * paths. Only loadInventory reads an Ansible inventory's group_vars/ and host_vars/.
 */
export function parseInventory(text: string, file: string, opts: InventoryOptions = {}): Inventory {
  const parsed = parseEither(text, file);
  return detectInventoryFormat(parsed) === 'native' ? readNativeInventory(parsed, opts) : readAnsibleInventory(parsed, opts);
}

function parseEither(text: string, file: string): InventoryYaml {
  rejectIniInventory(text, file);
  return parseInventoryYaml(text, file);
}
