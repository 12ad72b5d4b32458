import type { Inventory } from '../model.js';
import { readAnsibleInventory } from './ansible.js';
import { findVarsFiles } from './ansible-vars-files.js';
import { InventoryError } from './errors.js';
import { detectInventoryFormat, rejectIniInventory } from './inventory-format.js';
import type { InventoryOptions } from './inventory-options.js';
import { parseInventoryYaml } from './inventory-yaml.js';
import { readNativeInventory } from './native.js';
import { readUserFile } from '../yaml/user-file.js';

/**
 * Reads and parses an inventory file, native or Ansible YAML (see inventory-format.ts).
 * Throws `InventoryError`, also when the file cannot be read.
 */
export async function loadInventory(path: string, opts: InventoryOptions = {}): Promise<Inventory> {
  const text = await readUserFile(path, 'the inventory', (found) => new InventoryError(found));
  rejectIniInventory(text, path);
  const parsed = parseInventoryYaml(text, path);
  if (detectInventoryFormat(parsed) === 'native') return readNativeInventory(parsed, opts);
  // As Ansible does, with the group_vars/ and host_vars/ beside the file.
  return readAnsibleInventory(parsed, { ...opts, varsFiles: await findVarsFiles(path) });
}

/**
 * Parses an inventory in either format; `file` is used in messages and as the base of relative
 * paths. Only loadInventory reads an Ansible inventory's group_vars/ and host_vars/.
 */
export function parseInventory(text: string, file: string, opts: InventoryOptions = {}): Inventory {
  rejectIniInventory(text, file);
  const parsed = parseInventoryYaml(text, file);
  return detectInventoryFormat(parsed) === 'native' ? readNativeInventory(parsed, opts) : readAnsibleInventory(parsed, opts);
}
