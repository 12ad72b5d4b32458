// Which value of a variable a host gets, as Ansible decides it for variables written in the
// inventory and its group_vars/host_vars files: the host's own variables win; below them, its
// groups' variables are applied from the shallowest group to the deepest, so a child group beats
// its parent and every group beats `all`. Groups at the same depth are ordered by
// `ansible_group_priority` (default 1, higher wins), then by name (the later name wins). A host in
// several groups gets the union of their variables under these rules.
//
// A group's depth is its longest path from `all`: `kube_control_plane`, listed both under `all`
// and under `all` > `k8s_cluster`, has depth 2.

import { isScalar } from 'yaml';
import { ALL } from './tree.js';
import type { AnsibleGroup, AnsibleHost, AnsibleTree, VarDef, Vars } from './tree.js';
import { describe } from '../../yaml/yaml-read.js';

const GROUP_PRIORITY_VAR = 'ansible_group_priority';
const DEFAULT_PRIORITY = 1;

export interface Precedence {
  /** Every group the host is in: those listing it, their parents, their parents' parents... and `all`. */
  groupsOf(host: AnsibleHost): Set<string>;
  /** The variables the host sees, each the winning definition. */
  varsOf(host: AnsibleHost): Vars;
}

/** Reports through `priorityProblem` each `ansible_group_priority` that is not a whole number. */
export function precedence(tree: AnsibleTree, priorityProblem: (def: VarDef, message: string) => void): Precedence {
  const depth = depths(tree);
  const priority = new Map<string, number>();
  for (const group of tree.groups.values()) {
    const def = group.vars.get(GROUP_PRIORITY_VAR);
    const value = def === undefined ? DEFAULT_PRIORITY : readPriority(def);
    if (typeof value === 'string' && def !== undefined) priorityProblem(def, value);
    priority.set(group.name, typeof value === 'number' ? value : DEFAULT_PRIORITY);
  }
  const rank = (name: string): [number, number, string] => [depth.get(name) ?? 0, priority.get(name) ?? DEFAULT_PRIORITY, name];

  const findGroups = (host: AnsibleHost): Set<string> => {
    const found = new Set<string>();
    const pending = [ALL, ...host.groups];
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (found.has(name)) continue;
      found.add(name);
      pending.push(...(tree.groups.get(name)?.parents ?? []));
    }
    return found;
  };

  // As Ansible's VariableManager layers them: `all` from the inventory, then group_vars/all; the
  // other groups from the inventory, then their group_vars files; the host from the inventory,
  // then host_vars/.
  const findVars = (host: AnsibleHost): Vars => {
    const others = [...groupsOf(host)].filter((name) => name !== ALL).sort((a, b) => compareRanks(rank(a), rank(b)));
    const groups = (names: string[], pick: (group: AnsibleGroup) => Vars) => names.map((name) => pick(tree.groups.get(name) as AnsibleGroup));
    const layers = [
      ...groups([ALL], (g) => g.vars),
      ...groups([ALL], (g) => g.fileVars),
      ...groups(others, (g) => g.vars),
      ...groups(others, (g) => g.fileVars),
      host.vars,
      host.fileVars,
    ];
    const vars: Vars = new Map();
    for (const layer of layers) for (const [key, def] of layer) vars.set(key, def);
    return vars;
  };

  // The reader asks for a host's groups and variables more than once (its roles, cluster,
  // connection, and the inventory's default cluster); the tree no longer changes, so each is
  // worked out once, and shared: callers only read them.
  const groupsFound = new Map<AnsibleHost, Set<string>>();
  const varsFound = new Map<AnsibleHost, Vars>();
  const groupsOf = (host: AnsibleHost): Set<string> => cached(groupsFound, host, findGroups);
  const varsOf = (host: AnsibleHost): Vars => cached(varsFound, host, findVars);

  return { groupsOf, varsOf };
}

function cached<K, V>(found: Map<K, V>, key: K, find: (key: K) => V): V {
  let value = found.get(key);
  if (value === undefined) {
    value = find(key);
    found.set(key, value);
  }
  return value;
}

// Code-point order, as Python compares the names, not the locale's.
function compareRanks(a: [number, number, string], b: [number, number, string]): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

/** Depth of every group: 0 for `all`, else one more than its deepest parent. The tree has no cycles. */
function depths(tree: AnsibleTree): Map<string, number> {
  const depth = new Map<string, number>();
  const of = (group: AnsibleGroup): number => {
    const known = depth.get(group.name);
    if (known !== undefined) return known;
    let deepest = -1;
    for (const parent of group.parents) deepest = Math.max(deepest, of(tree.groups.get(parent) as AnsibleGroup));
    depth.set(group.name, deepest + 1);
    return deepest + 1;
  };
  for (const group of tree.groups.values()) of(group);
  return depth;
}

/** The priority, or what is wrong with it. Ansible converts it with int(), so "10" is 10. */
function readPriority(def: VarDef): number | string {
  const raw: unknown = isScalar(def.value) ? def.value.value : undefined;
  const value = typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  return `${def.name} must be a whole number (higher wins among groups at the same depth), got ${describe(def.value)}`;
}
