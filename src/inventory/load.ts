import { dirname, extname } from 'node:path';
import type { Inventory } from '../model.js';
import { parseAnsibleIniInventory, readAnsibleFolder, readAnsibleInventory } from './ansible/inventory.js';
import type { AnsibleFile } from './ansible/inventory.js';
import { findVarsFiles } from './ansible/vars-files.js';
import { InventoryError } from './errors.js';
import { detectInventoryFormat, hasIniHostLines, inventoryFormatOf, isIniInventory, scriptProblem } from './inventory-format.js';
import { inventoryFolderFiles, isFolder } from './inventory-folder.js';
import type { InventoryOptions } from './inventory-options.js';
import { parseInventoryYaml } from './inventory-yaml.js';
import type { InventoryYaml } from './inventory-yaml.js';
import { readNativeInventory } from './native.js';
import { unionInventories } from './union.js';
import type { FileIssue } from '../yaml/file-issues.js';
import { readUserFile } from '../yaml/user-file.js';

/**
 * Reads every inventory given (`-i a -i b`) as one fleet: the union of their hosts (see union.ts).
 * Throws `InventoryError` listing the problems of every inventory at once.
 */
export async function loadInventories(paths: readonly string[], opts: InventoryOptions = {}): Promise<Inventory> {
  const inventories: Inventory[] = [];
  const issues: FileIssue[] = [];
  for (const path of paths) {
    try {
      inventories.push(await loadInventory(path, opts));
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new InventoryError(issues);
  return unionInventories(inventories);
}

/**
 * Reads and parses an inventory file: native, Ansible YAML or Ansible INI (see
 * inventory-format.ts); an Ansible one with the group_vars/ and host_vars/ beside it, as Ansible
 * reads it. A folder is read as Ansible reads an inventory folder (see loadInventoryFolder).
 * Throws `InventoryError`, also when the file cannot be read.
 */
export async function loadInventory(path: string, opts: InventoryOptions = {}): Promise<Inventory> {
  if (await isFolder(path)) return loadInventoryFolder(path, opts);
  const text = await readUserFile(path, 'the inventory', (found) => new InventoryError(found));
  const script = scriptProblem(text, path);
  if (script !== undefined) throw new InventoryError([{ file: path, line: 1, column: 1, message: script }]);
  const parsed = yamlOf(text, path);
  const native = typeof parsed !== 'string' && detectInventoryFormat(parsed) === 'native';
  return readerFor(parsed, text, path)(native ? opts : { ...opts, varsFiles: await findVarsFiles(dirname(path)) });
}

/**
 * Parses an inventory in any of the formats; `file` is used in messages and as the base of
 * relative paths. Only loadInventory reads an Ansible inventory's group_vars/ and host_vars/.
 */
export function parseInventory(text: string, file: string, opts: InventoryOptions = {}): Inventory {
  return readerFor(yamlOf(text, file), text, file)(opts);
}

/**
 * An inventory folder, as Ansible reads it: its inventory files (inventory-folder.ts) make one
 * Ansible inventory, with the folder's group_vars/ and host_vars/; a native inventory among them
 * is read on its own and joins the fleet as another -i would. Files that are no inventory at all
 * (empty, a kubeconfig, notes) are passed over with a note, as Ansible passes them over with a
 * warning; inventories fleetbench cannot read (scripts, plugin configurations) are errors, since
 * Ansible would read hosts from them.
 */
async function loadInventoryFolder(folder: string, opts: InventoryOptions): Promise<Inventory> {
  const notes: string[] = [];
  const issues: FileIssue[] = [];
  const ansible: AnsibleFile[] = [];
  const native: InventoryYaml[] = [];
  const collect = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      issues.push(...error.issues);
      return undefined;
    }
  };
  for (const file of await inventoryFolderFiles(folder)) {
    const text = await readUserFile(file, 'the inventory', (found) => new InventoryError(found));
    const script = scriptProblem(text, file);
    if (script !== undefined) {
      issues.push({ file, line: 1, column: 1, message: `${script}, and move the script out of ${folder}` });
      continue;
    }
    const skip = (why: string) => notes.push(`${file}: not an inventory (${why}); passed over, as Ansible passes it over`);
    if (text.includes('\0')) {
      skip('not text');
      continue;
    }
    const parsed = collect(() => yamlOf(text, file, YAML_EXTENSIONS.includes(extname(file)) ? 'fail' : 'skip'));
    if (parsed === undefined) continue;
    if (parsed === 'skip') skip('neither YAML nor INI');
    else if (parsed === 'ini') ansible.push({ ini: text, file });
    else {
      const detected = inventoryFormatOf(parsed);
      if (!('format' in detected)) {
        if (detected.other) skip(detected.problem.split(';')[0] ?? detected.problem);
        else collect(() => detectInventoryFormat(parsed));
      } else if (detected.format === 'native') native.push(parsed);
      else if (detected.format === 'ansible') ansible.push({ yaml: parsed });
      else ansible.push({ ini: text, file });
    }
  }
  const inventories = native.flatMap((parsed) => collect(() => readNativeInventory(parsed, opts)) ?? []);
  if (ansible.length > 0 && issues.length === 0) {
    const varsFiles = await findVarsFiles(folder);
    const read = collect(() => readAnsibleFolder(folder, ansible, { ...opts, varsFiles }));
    if (read !== undefined) inventories.push(read);
  }
  if (issues.length > 0) throw new InventoryError(issues);
  if (inventories.length === 0) {
    const passed = notes.length > 0 ? `; passed over:\n  ${notes.join('\n  ')}` : '';
    throw new InventoryError([{ file: folder, line: 0, column: 0, message: `the folder holds no inventory file${passed}` }]);
  }
  const union = unionInventories(inventories);
  const warnings = [...notes, ...(union.warnings ?? [])];
  return { ...union, source: folder, ...(warnings.length > 0 ? { warnings } : {}) };
}

// Files Ansible's yaml plugin takes by their extension: a syntax error there is a broken
// inventory, not some other file.
const YAML_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * `text` as YAML, or 'ini' when it is an INI inventory (which need not be YAML). A syntax error
 * throws `InventoryError`, or with `onError` 'skip' gives 'skip'.
 */
function yamlOf(text: string, file: string): InventoryYaml | 'ini';
function yamlOf(text: string, file: string, onError: 'fail' | 'skip'): InventoryYaml | 'ini' | 'skip';
function yamlOf(text: string, file: string, onError: 'fail' | 'skip' = 'fail'): InventoryYaml | 'ini' | 'skip' {
  if (isIniInventory(text)) return 'ini';
  try {
    return parseInventoryYaml(text, file);
  } catch (error) {
    if (!(error instanceof InventoryError)) throw error;
    // Host lines with quoted values (`key="a: b"`) need not be YAML at all.
    if (hasIniHostLines(text)) return 'ini';
    if (onError === 'skip') return 'skip';
    throw error;
  }
}

/** A file's reader, by its format; `parsed` is its YAML, or 'ini'. */
function readerFor(parsed: InventoryYaml | 'ini', text: string, file: string): (opts: InventoryOptions) => Inventory {
  const format = typeof parsed === 'string' ? 'ansible-ini' : detectInventoryFormat(parsed);
  if (format === 'native' && typeof parsed !== 'string') return (opts) => readNativeInventory(parsed, opts);
  if (format === 'ansible' && typeof parsed !== 'string') return (opts) => readAnsibleInventory(parsed, opts);
  return (opts) => parseAnsibleIniInventory(text, file, opts);
}
