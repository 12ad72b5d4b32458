// One fleet from several inventories (`-i a -i b`, the native files of an inventory folder): the
// union of their hosts, as `ansible -i a -i b` takes the union. Each inventory is read on its own,
// so a host both name must come out the same from both: then it is one host; otherwise which one
// is meant cannot be guessed, and both places are named.

import { canonicalJson } from '../canonical-json.js';
import type { Inventory, Place, Target } from '../model.js';
import { InventoryError } from './errors.js';
import type { FileIssue } from '../yaml/file-issues.js';

/** The union of `inventories`, in order. Throws `InventoryError` naming both places of each host written two ways. */
export function unionInventories(inventories: readonly Inventory[]): Inventory {
  const [first, ...more] = inventories;
  if (first === undefined) throw new Error('unionInventories needs at least one inventory');
  if (more.length === 0) return first;
  const targets = new Map<string, { target: Target; from: Inventory }>();
  const issues: FileIssue[] = [];
  for (const inventory of inventories) {
    for (const target of inventory.targets) {
      const key = target.name.toLowerCase();
      const earlier = targets.get(key);
      if (earlier === undefined) targets.set(key, { target, from: inventory });
      else if (canonicalJson(earlier.target) !== canonicalJson(target)) issues.push(conflict(target, inventory, earlier.target, earlier.from));
    }
  }
  if (issues.length > 0) throw new InventoryError(issues);
  const kept = [...targets.values()];
  const warnings = [...new Set(inventories.flatMap((inventory) => inventory.warnings ?? []))];
  const union: Inventory = {
    source: [...new Set(inventories.map((inventory) => inventory.source))].join(', '),
    targets: kept.map(({ target }) => target),
    writtenAt: Object.fromEntries(kept.map(({ target, from }) => [target.name, writtenAt(target, from)])),
  };
  const groups = mergedGroups(inventories);
  if (groups !== undefined) union.groups = groups;
  if (warnings.length > 0) union.warnings = warnings;
  return union;
}

function conflict(target: Target, inventory: Inventory, earlier: Target, earlierFrom: Inventory): FileIssue {
  const here = writtenAt(target, inventory);
  const there = writtenAt(earlier, earlierFrom);
  const differences = target.name === earlier.name ? differencesOf(earlier, target) : `it is spelled ${JSON.stringify(earlier.name)} there`;
  return {
    ...here,
    message: `host ${JSON.stringify(target.name)} is also at ${there.file}:${there.line}:${there.column}, with other settings (${differences}); write it the same way in both, or leave it out of one`,
  };
}

/** What differs between two targets of one name, `setting: there / here`, for the message. */
function differencesOf(there: Target, here: Target): string {
  const keys = [...new Set([...Object.keys(there), ...Object.keys(here)])] as (keyof Target)[];
  return keys
    .filter((key) => canonicalJson(there[key]) !== canonicalJson(here[key]))
    .map((key) => `${key} ${shown(there[key])} there, ${shown(here[key])} here`)
    .join('; ');
}

function shown(value: Target[keyof Target]): string {
  if (value === undefined) return 'unset';
  if (typeof value === 'object' && !Array.isArray(value))
    return 'command' in value ? JSON.stringify(value.command) : `${value.user}@${value.address}:${value.port}`;
  return JSON.stringify(value);
}

function writtenAt(target: Target, inventory: Inventory): Place {
  return inventory.writtenAt?.[target.name] ?? { file: inventory.source, line: 0, column: 0 };
}

/** Ansible groups of every inventory that has them; a group two inventories name has the hosts of both. */
function mergedGroups(inventories: readonly Inventory[]): Record<string, string[]> | undefined {
  const withGroups = inventories.filter((inventory) => inventory.groups !== undefined);
  if (withGroups.length === 0) return undefined;
  const groups = new Map<string, Set<string>>();
  for (const inventory of withGroups) {
    for (const [name, hosts] of Object.entries(inventory.groups ?? {})) {
      const members = groups.get(name) ?? new Set<string>();
      for (const host of hosts) members.add(host);
      groups.set(name, members);
    }
  }
  return Object.fromEntries([...groups].map(([name, hosts]) => [name, [...hosts]]));
}
