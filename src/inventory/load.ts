import { readFile } from 'node:fs/promises';
import type { Inventory } from '../model.js';
import { InventoryError } from './errors.js';
import { parseNativeInventory } from './native.js';

/** Reads and parses a native inventory file. Throws `InventoryError`, also when the file cannot be read. */
export async function loadInventory(path: string): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InventoryError([{ file: path, line: 0, column: 0, message: `cannot read the inventory: ${reason}` }]);
  }
  return parseNativeInventory(text, path);
}
