import type { Inventory } from '../model.js';
import { parseAnsibleIniInventory, readAnsibleInventory } from './ansible/inventory.js';
import { findVarsFiles } from './ansible/vars-files.js';
import { InventoryError } from './errors.js';
import { detectInventoryFormat, hasIniHostLines, isIniInventory } from './inventory-format.js';
import type { InventoryOptions } from './inventory-options.js';
import { parseInventoryYaml } from './inventory-yaml.js';
import type { InventoryYaml } from './inventory-yaml.js';
import { readNativeInventory } from './native.js';
import { readUserFile } from '../yaml/user-file.js';

/**
 * Reads and parses an inventory file: native, Ansible YAML or Ansible INI (see
 * inventory-format.ts); an Ansible one with the group_vars/ and host_vars/ beside it, as Ansible
 * reads it. Throws `InventoryError`, also when the file cannot be read.
 */
export async function loadInventory(path: string, opts: InventoryOptions = {}): Promise<Inventory> {
  const text = await readUserFile(path, 'the inventory', (found) => new InventoryError(found));
  const { ansible, read } = readerFor(text, path);
  return read(ansible ? { ...opts, varsFiles: await findVarsFiles(path) } : opts);
}

/**
 * Parses an inventory in any of the formats; `file` is used in messages and as the base of
 * relative paths. Only loadInventory reads an Ansible inventory's group_vars/ and host_vars/.
 */
export function parseInventory(text: string, file: string, opts: InventoryOptions = {}): Inventory {
  return readerFor(text, file).read(opts);
}

/** How to read `text`, and whether it is an Ansible inventory (which has vars files beside it). */
function readerFor(text: string, file: string): { ansible: boolean; read: (opts: InventoryOptions) => Inventory } {
  const ini = { ansible: true, read: (opts: InventoryOptions) => parseAnsibleIniInventory(text, file, opts) };
  if (isIniInventory(text)) return ini;
  let parsed: InventoryYaml;
  try {
    parsed = parseInventoryYaml(text, file);
  } catch (error) {
    // Host lines with quoted values (`key="a: b"`) need not be YAML at all.
    if (error instanceof InventoryError && hasIniHostLines(text)) return ini;
    throw error;
  }
  switch (detectInventoryFormat(parsed)) {
    case 'native':
      return { ansible: false, read: (opts) => readNativeInventory(parsed, opts) };
    case 'ansible':
      return { ansible: true, read: (opts) => readAnsibleInventory(parsed, opts) };
    case 'ansible-ini':
      return ini;
  }
}
