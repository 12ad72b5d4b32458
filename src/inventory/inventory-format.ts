// Which reader an inventory file is for. Native inventories have a top-level `clusters:`;
// Ansible YAML inventories have groups (`all:` and others, with `hosts:`, `children:`,
// `vars:`). Ansible's other inventory sources are recognised to say how to turn them into
// a YAML inventory, rather than to fail on their first line.

import { basename, dirname, extname, join } from 'node:path';
import { isMap, isScalar } from 'yaml';
import { shellQuoteIfNeeded } from '../shell-quote.js';
import { GROUP_KEYS } from './ansible-tree.js';
import { InventoryError } from './errors.js';
import { failAt } from './inventory-yaml.js';
import type { InventoryYaml } from './inventory-yaml.js';
import { describe, follow, isEmpty } from '../yaml/yaml-read.js';

export type InventoryFormat = 'native' | 'ansible';

const NATIVE_KEYS = ['clusters', 'defaults'];

const BOTH_FORMATS =
  'fleetbench reads two inventory formats: its own, with a top-level clusters: mapping (see inventory/example.yaml), and Ansible YAML inventories, whose top-level keys are groups such as all: with hosts:, children: and vars: (see inventory/ansible-example.yaml)';

// `[etcd]`, `[k8s_cluster:children]`, `[all:vars]` at the start of a line: not YAML that
// any inventory could be, and the way every Ansible INI inventory is laid out.
const INI_SECTION = /^\[[A-Za-z0-9_.-]+(?::(?:children|vars))?\][ \t]*(?:[#;].*)?$/m;
// `node1 ansible_host=10.0.0.1`: an INI host line, which YAML reads as plain text.
const INI_HOST_LINE = /^[^\s#;=]+[ \t]+[A-Za-z_][A-Za-z0-9_]*=/m;

/** Throws `InventoryError` when `text` is an Ansible INI inventory, saying how to convert it. */
export function rejectIniInventory(text: string, file: string): void {
  const section = INI_SECTION.exec(text);
  if (section === null) return;
  const line = text.slice(0, section.index).split('\n').length;
  throw new InventoryError([{ file, line, column: 1, message: iniMessage(file) }]);
}

/** The format of a parsed inventory; throws `InventoryError` when it is neither. */
export function detectInventoryFormat(parsed: InventoryYaml): InventoryFormat {
  const root = follow(parsed, parsed.doc.contents);
  const fail = (message: string): never => failAt(parsed, root, message);
  if (isEmpty(root)) return fail(`the inventory is empty; ${BOTH_FORMATS}`);
  if (isScalar(root) && typeof root.value === 'string' && INI_HOST_LINE.test(root.value)) return fail(iniMessage(parsed.file));
  if (!isMap(root)) return fail(`the inventory must be a mapping, got ${describe(root)}; ${BOTH_FORMATS}`);

  const top = new Map(root.items.flatMap((pair) => {
    const key = follow(parsed, pair.key);
    return isScalar(key) && typeof key.value === 'string' ? [[key.value, follow(parsed, pair.value)] as const] : [];
  }));
  if (NATIVE_KEYS.some((key) => top.has(key))) return 'native';
  if (top.has('plugin')) {
    return fail(
      `this is the configuration of an Ansible inventory plugin, which fleetbench does not run; write out the inventory it produces with ${convertCommand(parsed.file)}`,
    );
  }
  if (top.has('_meta')) {
    const yamlListing = join(dirname(parsed.file), `${basename(parsed.file, extname(parsed.file))}.yaml`);
    return fail(
      `this is Ansible's JSON listing of an inventory; fleetbench reads the YAML one: list the inventory it came from with \`ansible-inventory -i <inventory> -y --list > ${shellQuoteIfNeeded(yamlListing)}\``,
    );
  }
  const groupLike = [...top.values()].some(
    (value) =>
      isMap(value) &&
      value.items.some((pair) => {
        const key = follow(parsed, pair.key);
        return isScalar(key) && typeof key.value === 'string' && GROUP_KEYS.includes(key.value);
      }),
  );
  if (top.has('all') || groupLike) return 'ansible';
  return fail(`fleetbench cannot tell which inventory format this is: ${BOTH_FORMATS}`);
}

function iniMessage(file: string): string {
  return `Ansible INI inventories are not supported; convert with ${convertCommand(file)}`;
}

/** The ansible-inventory command that writes `file` as a YAML inventory, next to it and without overwriting it. */
function convertCommand(file: string): string {
  const stem = basename(file, extname(file));
  let target = join(dirname(file), `${stem}.yaml`);
  if (target === join(dirname(file), basename(file))) target = join(dirname(file), `${stem}.ansible.yaml`);
  return `\`ansible-inventory -i ${shellQuoteIfNeeded(file)} -y --list > ${shellQuoteIfNeeded(target)}\``;
}
