import { tmpdir } from 'node:os';
import { sep } from 'node:path';

// The header names the inventory a scan read. A path in a temporary directory (the demo writes its
// inventory to one, so do tools that generate inventories) means nothing to the reader and would
// be gone by the time they read it: the header shows only its file name and says where it was.
// The embedded result keeps the full path. Temporary is this machine's temporary directory or a
// usual one elsewhere (the report may be made from a result saved on another machine).

const TEMPORARY_DIRECTORY = [
  /^\/tmp\//,
  /^\/var\/tmp\//,
  /^\/dev\/shm\//,
  /^(\/private)?\/var\/folders\/[^/]+\/[^/]+\/T\//, // macOS $TMPDIR
  /^[a-z]:\\(windows\\temp|users\\[^\\]+\\appdata\\local\\temp)\\/i,
];

export interface InventoryLabel {
  shown: string;
  temporary: boolean;
}

export function inventoryLabel(path: string): InventoryLabel {
  const temporary = path.startsWith(tmpdir() + sep) || TEMPORARY_DIRECTORY.some((pattern) => pattern.test(path));
  if (!temporary) return { shown: path, temporary: false };
  return { shown: path.split(/[/\\]/).pop() ?? path, temporary: true };
}
