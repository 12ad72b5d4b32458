// Which reader an inventory file is for. Native inventories have a top-level `clusters:`;
// Ansible YAML inventories have groups (`all:` and others, with `hosts:`, `children:`,
// `vars:`); Ansible INI inventories have `[group]` sections or `host key=value` lines. Ansible's
// other inventory sources are recognised to say how to turn them into a YAML inventory, rather
// than to fail on their first line.

import { basename, dirname, extname, join } from 'node:path';
import { isMap, isScalar } from 'yaml';
import { shellQuoteIfNeeded } from '../shell-quote.js';
import { GROUP_KEYS } from './ansible/tree.js';
import { failAt } from './inventory-yaml.js';
import type { InventoryYaml } from './inventory-yaml.js';
import { describe, follow, isEmpty } from '../yaml/yaml-read.js';

export type InventoryFormat = 'native' | 'ansible' | 'ansible-ini';

const NATIVE_KEYS = ['clusters', 'defaults'];

const BOTH_FORMATS =
  'fleetbench reads its own inventory format, with a top-level clusters: mapping (see inventory/example.yaml), and Ansible inventories: YAML, whose top-level keys are groups such as all: with hosts:, children: and vars: (see inventory/ansible-example.yaml), or INI, with [group] sections';

// `[etcd]`, `[k8s_cluster:children]`, `[all:vars]` at the start of a line: not YAML that
// any inventory could be, and the way every Ansible INI inventory is laid out.
const INI_SECTION = /^\[[A-Za-z0-9_.-]+(?::(?:children|vars))?\][ \t]*(?:[#;].*)?$/m;
// `node1 ansible_host=10.0.0.1`: an INI host line, which YAML reads as plain text.
const INI_HOST_LINE = /^[^\s#;=]+[ \t]+[A-Za-z_][A-Za-z0-9_]*=/m;

/** An INI inventory is told from its text, before it is parsed as YAML, which it is not. */
export function isIniInventory(text: string): boolean {
  return INI_SECTION.test(text);
}

/** Whether text that is not YAML has INI host lines (`node1 ansible_host=...`), and no section. */
export function hasIniHostLines(text: string): boolean {
  return INI_HOST_LINE.test(text);
}

/** The format of a parsed inventory; throws `InventoryError` when it is none of them. */
export function detectInventoryFormat(parsed: InventoryYaml): InventoryFormat {
  const detected = inventoryFormatOf(parsed);
  if ('format' in detected) return detected.format;
  return failAt(parsed, follow(parsed, parsed.doc.contents), detected.problem);
}

/**
 * The format of a parsed inventory, or why it is none. `other` is set when the file is not an
 * inventory at all (empty, a Kubernetes object, some other YAML): a file in an inventory folder
 * that Ansible would pass over with a warning. Inventories fleetbench cannot read (a plugin's
 * configuration, Ansible's JSON listing) are not `other`: Ansible would read their hosts.
 */
export function inventoryFormatOf(parsed: InventoryYaml): { format: InventoryFormat } | { problem: string; other: boolean } {
  const root = follow(parsed, parsed.doc.contents);
  const other = (problem: string) => ({ problem, other: true });
  if (isEmpty(root)) return other(`the inventory is empty; ${BOTH_FORMATS}`);
  // Host lines without any section, which YAML reads as one text.
  if (isScalar(root) && typeof root.value === 'string' && INI_HOST_LINE.test(root.value)) return { format: 'ansible-ini' };
  if (!isMap(root)) return other(`the inventory must be a mapping, got ${describe(root)}; ${BOTH_FORMATS}`);

  const top = new Map(
    root.items.flatMap((pair) => {
      const key = follow(parsed, pair.key);
      return isScalar(key) && typeof key.value === 'string' ? [[key.value, follow(parsed, pair.value)] as const] : [];
    }),
  );
  if (top.has('apiVersion') && top.has('kind')) return other(`this is a Kubernetes object, not an inventory; ${BOTH_FORMATS}`);
  if (NATIVE_KEYS.some((key) => top.has(key))) return { format: 'native' };
  if (top.has('plugin')) {
    return {
      problem: `this is the configuration of an Ansible inventory plugin, which fleetbench does not run; write out the inventory it produces with ${convertCommand(parsed.file)}`,
      other: false,
    };
  }
  if (top.has('_meta')) {
    const yamlListing = join(dirname(parsed.file), `${basename(parsed.file, extname(parsed.file))}.yaml`);
    return {
      problem: `this is Ansible's JSON listing of an inventory; fleetbench reads the YAML one: list the inventory it came from with \`ansible-inventory -i <inventory> -y --list > ${shellQuoteIfNeeded(yamlListing)}\``,
      other: false,
    };
  }
  const groupLike = [...top.values()].some(
    (value) =>
      isMap(value) &&
      value.items.some((pair) => {
        const key = follow(parsed, pair.key);
        return isScalar(key) && typeof key.value === 'string' && GROUP_KEYS.includes(key.value);
      }),
  );
  if (top.has('all') || groupLike) return { format: 'ansible' };
  // A host line with `key="a: b"`, which YAML reads as a mapping.
  if ([...top.keys()].some((key) => INI_HOST_LINE.test(key))) return { format: 'ansible-ini' };
  return other(`fleetbench cannot tell which inventory format this is: ${BOTH_FORMATS}`);
}

/**
 * An inventory script (`#!/usr/bin/env python3`...), which Ansible runs to list the inventory;
 * fleetbench runs nothing of the machine it is on, so it says how to turn the listing into a file.
 */
export function scriptProblem(text: string, file: string): string | undefined {
  if (!text.startsWith('#!')) return undefined;
  return `this is an inventory script, which fleetbench does not run; write out the inventory it lists with ${convertCommand(file)}`;
}

/** The ansible-inventory command that writes `file` as a YAML inventory, next to it and without overwriting it. */
function convertCommand(file: string): string {
  const stem = basename(file, extname(file));
  let target = join(dirname(file), `${stem}.yaml`);
  if (target === join(dirname(file), basename(file))) target = join(dirname(file), `${stem}.ansible.yaml`);
  return `\`ansible-inventory -i ${shellQuoteIfNeeded(file)} -y --list > ${shellQuoteIfNeeded(target)}\``;
}
