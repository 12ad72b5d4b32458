// group_vars/ and host_vars/ beside an Ansible inventory, which Ansible reads with the inventory
// (its host_group_vars plugin): for a group or host NAME, the files NAME, NAME.yml, NAME.yaml and
// NAME.json, or every file under a directory NAME/ (no extension or one of those), in name order,
// hidden files skipped. kubespray keeps its inventories this way (group_vars/all/all.yml...).

import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InventoryError } from '../errors.js';
import { isFolder } from '../inventory-folder.js';

export type VarsOwnerKind = 'group' | 'host';

export interface VarsFile {
  kind: VarsOwnerKind;
  /** Its entry in group_vars/ or host_vars/: a file, or the directory it is under. */
  entry: string;
  file: string;
  /** The content, or why it could not be read (an error only if the file belongs to a group or host). */
  content: { text: string } | { unreadable: string };
}

const EXTENSIONS = ['.yml', '.yaml', '.json'];
const FOLDERS: Record<VarsOwnerKind, string> = { group: 'group_vars', host: 'host_vars' };

/** The group or host names a group_vars/host_vars entry can be for: `all.yml` is for `all`, `node1.example.com` for itself. */
export function namesOfEntry(entry: string): string[] {
  const ext = EXTENSIONS.find((candidate) => entry.endsWith(candidate) && entry.length > candidate.length);
  return ext === undefined ? [entry] : [entry, entry.slice(0, -ext.length)];
}

/**
 * Every vars file in `base`/group_vars and `base`/host_vars: `base` is the folder of an inventory
 * file, or an inventory folder. The reader keeps those of its own groups and hosts.
 */
export async function findVarsFiles(base: string): Promise<VarsFile[]> {
  const found: VarsFile[] = [];
  for (const kind of ['group', 'host'] as const) {
    const folder = join(base, FOLDERS[kind]);
    for (const entry of await visibleEntries(folder)) {
      const path = join(folder, entry);
      // Host names have dots (node1.example.com), so a top-level file is kept whatever its extension.
      const files = (await isFolder(path)) ? await filesUnder(path) : [path];
      for (const file of files) found.push({ kind, entry, file, content: await read(file) });
    }
  }
  return found;
}

/** Names in a directory, hidden ones left out, in code-point order as Python sorts; none when it does not exist. */
async function visibleEntries(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new InventoryError([{ file: folder, line: 0, column: 0, message: `cannot read the folder: ${(error as Error).message}` }]);
  }
  return names.filter((name) => !name.startsWith('.')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function filesUnder(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const name of await visibleEntries(folder)) {
    const path = join(folder, name);
    if (await isFolder(path)) files.push(...(await filesUnder(path)));
    else if (extname(name) === '' || EXTENSIONS.includes(extname(name))) files.push(path);
  }
  return files;
}

async function read(path: string): Promise<VarsFile['content']> {
  try {
    return { text: await readFile(path, 'utf8') };
  } catch (error) {
    return { unreadable: error instanceof Error ? error.message : String(error) };
  }
}
