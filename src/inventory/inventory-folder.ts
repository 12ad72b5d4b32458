// Which files of an inventory folder (`-i DIR`) are inventory sources, as Ansible decides
// (ansible-core's InventoryManager): every entry in name order, folders read the same way to any
// depth, except hidden names, group_vars, host_vars and vars_plugins, and names that end with one
// of the extensions of INVENTORY_IGNORE_EXTS. Its current default reads `.ini` files (older
// releases skipped them, which left kubespray's inventory.ini out of `-i inventory/mycluster`).

import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InventoryError } from './errors.js';

const IGNORED_NAMES = [/^\./, /^host_vars$/, /^group_vars$/, /^vars_plugins$/];
const IGNORED_ENDINGS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry'];

/** Whether an entry of an inventory folder is passed over, as Ansible passes it over. */
function isIgnoredEntry(name: string): boolean {
  return IGNORED_NAMES.some((pattern) => pattern.test(name)) || IGNORED_ENDINGS.some((ending) => name.endsWith(ending));
}

/** Whether `path` is a folder (symbolic links followed); false when it is anything else or missing. */
export async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The inventory files of `folder`, in the order Ansible reads them. Throws `InventoryError` when a folder cannot be listed. */
export async function inventoryFolderFiles(folder: string): Promise<string[]> {
  return filesUnder(folder, new Set());
}

async function filesUnder(folder: string, visited: Set<string>): Promise<string[]> {
  let names: string[];
  try {
    // A symbolic link back up the tree would otherwise be followed forever.
    const real = await realpath(folder);
    if (visited.has(real)) return [];
    visited.add(real);
    names = await readdir(folder);
  } catch (error) {
    throw new InventoryError([{ file: folder, line: 0, column: 0, message: `cannot read the inventory folder: ${(error as Error).message}` }]);
  }
  const files: string[] = [];
  // Code-point order, as Python sorts the names.
  for (const name of names.filter((entry) => !isIgnoredEntry(entry)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const path = join(folder, name);
    if (await isFolder(path)) files.push(...(await filesUnder(path, visited)));
    else files.push(path);
  }
  return files;
}
