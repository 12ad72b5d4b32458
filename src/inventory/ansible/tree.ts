// Reads an Ansible YAML inventory into its groups and hosts, as Ansible's `yaml` inventory
// plugin does: every top-level key is a group (usually `all`), each with `hosts`, `vars` and
// `children`, nested to any depth. A group is one group however many times it is written:
// kubespray names `kube_control_plane` under `all` and again under `k8s_cluster`. Only the
// structure is checked here; variable values are checked for the hosts fleetbench connects to.

import { isMap, isScalar, Scalar } from 'yaml';
import type { YAMLMap } from 'yaml';
import { expandHostPattern, HostPatternError } from '../host-pattern.js';
import { splitHostKey } from './host-key.js';
import { START_OF_FILE } from '../../yaml/issue-list.js';
import type { IssueList, Located } from '../../yaml/issue-list.js';
import { describe, isEmpty, readPairs } from '../../yaml/yaml-read.js';
import type { Field, ValueNode, YamlReader } from '../../yaml/yaml-read.js';

/** The group every host is in, and every group without another parent is a child of. */
export const ALL = 'all';

/** One variable as written, for messages that point at it. */
export interface VarDef {
  name: string;
  /** The value; null for `name:` with nothing after it, which Ansible reads as unset. */
  value: ValueNode | null;
  at: Located;
  owner: { kind: 'group' | 'host'; name: string };
  /** Where problems with it go when it is written in a group_vars/host_vars file, not the inventory. */
  issues?: IssueList;
}

export type Vars = Map<string, VarDef>;

export interface AnsibleGroup {
  name: string;
  /** Where the group is first written. */
  at: Located;
  vars: Vars;
  /** From group_vars/ (see file-vars.ts). */
  fileVars: Vars;
  parents: Set<string>;
  children: Set<string>;
  /** Hosts listed directly under the group's hosts. */
  hosts: Set<string>;
}

export interface AnsibleHost {
  name: string;
  /** Where the host is first written. */
  at: Located;
  /** Groups that list it directly. */
  groups: Set<string>;
  /** Its own variables; a host written in several places has the later value of a variable. */
  vars: Vars;
  /** From host_vars/ (see file-vars.ts). */
  fileVars: Vars;
}

export interface AnsibleTree {
  groups: Map<string, AnsibleGroup>;
  /** In the order they first appear, which is the order of the targets. */
  hosts: Map<string, AnsibleHost>;
  /** Whether structural problems were reported: conclusions about the whole file would then mislead. */
  malformed: boolean;
}

/** The keys a group may have; any other key of a group is a mistake. */
export const GROUP_KEYS = ['hosts', 'children', 'vars'];

export function readAnsibleTree(r: YamlReader, root: YAMLMap): AnsibleTree {
  return finishTree(addAnsibleYaml(r, root, emptyTree()));
}

/**
 * Adds what one YAML file of an inventory made of several (a folder) says to `tree`, as Ansible
 * adds each source to one inventory; `finishTree` once all are read.
 */
export function addAnsibleYaml(r: YamlReader, root: YAMLMap, tree: AnsibleTree): AnsibleTree {
  const walker = new TreeWalker(r, tree);
  for (const field of readPairs(r, root, 'the inventory')) walker.group(field, undefined);
  return tree;
}

export function emptyTree(): AnsibleTree {
  return { groups: new Map(), hosts: new Map(), malformed: false };
}

/** Makes every group without a parent a child of `all`, as Ansible does once every source is read. */
export function finishTree(tree: AnsibleTree): AnsibleTree {
  let all = tree.groups.get(ALL);
  if (all === undefined) {
    all = newGroup(ALL, START_OF_FILE);
    tree.groups.set(ALL, all);
  }
  for (const group of tree.groups.values()) {
    if (group !== all && group.parents.size === 0) link(all, group);
  }
  return tree;
}

/** A variable as written, before it is given to its group or host. */
export interface WrittenVar {
  name: string;
  value: ValueNode | null;
  at: Located;
}

/**
 * Builds an AnsibleTree as an inventory source is read, whatever its syntax (YAML here, INI in
 * ini.ts): groups and hosts are one however often they are written, and structural
 * problems are reported at their place.
 */
export class AnsibleTreeBuilder {
  /** `tree`: the tree of the files read before this one, when an inventory is made of several. */
  constructor(
    protected readonly issues: IssueList,
    protected readonly tree: AnsibleTree = emptyTree(),
  ) {}

  hasGroup(name: string): boolean {
    return this.tree.groups.has(name);
  }

  ensureGroup(name: string, at: Located): AnsibleGroup {
    let group = this.tree.groups.get(name);
    if (group === undefined) {
      group = newGroup(name, this.placed(at));
      this.tree.groups.set(name, group);
    }
    return group;
  }

  setGroupVar(group: AnsibleGroup, written: WrittenVar): void {
    this.setVar(group.vars, { name: written.name, value: written.value, at: this.placed(written.at), owner: { kind: 'group', name: group.name } });
  }

  /** The hosts of a host key (`node[1:3]:2222`) into `group`, each with `vars`. */
  addHosts(group: AnsibleGroup, key: string, keyAt: Located, vars: readonly WrittenVar[]): void {
    const names = this.expand(key, keyAt);
    if (names === undefined) return;
    for (const name of names.hosts) {
      const host = this.ensureHost(name, keyAt);
      host.groups.add(group.name);
      group.hosts.add(name);
      // A port in the host key is the host's ansible_port, which its own variables may override.
      if (names.port !== undefined) this.setVar(host.vars, portDef(name, names.port, this.placed(keyAt)));
      for (const entry of vars) this.setVar(host.vars, { name: entry.name, value: entry.value, at: this.placed(entry.at), owner: { kind: 'host', name } });
    }
  }

  addChild(parent: AnsibleGroup, child: AnsibleGroup, at: Located): void {
    if (child === parent || this.isAncestor(child, parent)) {
      this.problem(
        at,
        `group ${JSON.stringify(child.name)} cannot be a child of group ${JSON.stringify(parent.name)}, which is already inside it: groups may not contain themselves`,
      );
      return;
    }
    link(parent, child);
  }

  problem(at: Located | null | undefined, message: string): void {
    this.tree.malformed = true;
    this.issues.add(at, message);
  }

  /** A place in this file, which stays in this file's list when the tree holds several files. */
  private placed(at: Located): Located {
    return { range: at.range ?? null, list: this.issues };
  }

  /**
   * Within one file the later value wins, as Ansible reads a file. Two files that give one
   * variable of one host or group different values are a mistake: Ansible would silently keep
   * the one it read last, and which that is depends on file names.
   */
  private setVar(vars: Vars, def: VarDef): void {
    const earlier = vars.get(def.name);
    if (earlier?.at.list !== undefined && earlier.at.list !== this.issues && !sameValue(earlier.value, def.value)) {
      const owner = `${def.owner.kind} ${JSON.stringify(def.owner.name)}`;
      this.problem(
        def.at,
        `${def.name} of ${owner} is ${shown(def.value)} here and ${shown(earlier.value)} at ${this.issues.where(earlier.at)}; the files of one inventory must agree on it (Ansible would keep whichever it reads last): remove one`,
      );
      return;
    }
    vars.set(def.name, def);
  }

  private expand(key: string, at: Located): { hosts: string[]; port?: number } | undefined {
    const split = splitHostKey(key);
    if ('problem' in split) {
      this.problem(at, `host ${JSON.stringify(key)} ${split.problem}`);
      return undefined;
    }
    try {
      return { hosts: expandHostPattern(split.pattern), ...(split.port === undefined ? {} : { port: split.port }) };
    } catch (error) {
      if (!(error instanceof HostPatternError)) throw error;
      this.problem(at, `host ${JSON.stringify(key)}: ${error.message}`);
      return undefined;
    }
  }

  /** Whether `group` is `of` or one of its parents, grandparents... */
  private isAncestor(group: AnsibleGroup, of: AnsibleGroup): boolean {
    const pending = [of];
    const visited = new Set<AnsibleGroup>();
    for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
      if (current === group) return true;
      if (visited.has(current)) continue;
      visited.add(current);
      for (const parent of current.parents) pending.push(this.tree.groups.get(parent) as AnsibleGroup);
    }
    return false;
  }

  private ensureHost(name: string, at: Located): AnsibleHost {
    let host = this.tree.hosts.get(name);
    if (host === undefined) {
      host = { name, at: this.placed(at), groups: new Set(), vars: new Map(), fileVars: new Map() };
      this.tree.hosts.set(name, host);
    }
    return host;
  }
}

class TreeWalker extends AnsibleTreeBuilder {
  /** Group bodies already read, by group: a body reached again through a YAML alias is read once. */
  private readonly read = new Map<string, Set<ValueNode>>();

  constructor(
    private readonly r: YamlReader,
    tree: AnsibleTree,
  ) {
    super(r.issues, tree);
  }

  group(field: Field, parent: AnsibleGroup | undefined): void {
    const name = field.name;
    if (parent !== undefined && name === ALL) {
      this.problem(field.key, `group "${ALL}" holds every host and cannot be a child of group ${JSON.stringify(parent.name)}`);
      return;
    }
    const group = this.ensureGroup(name, field.key);
    if (parent !== undefined) this.addChild(parent, group, field.key);
    const body = field.value;
    if (isEmpty(body)) return;
    if (!isMap(body)) {
      this.problem(field.at, `group ${JSON.stringify(name)} must be a mapping with hosts:, children: or vars:, got ${describe(body)}`);
      return;
    }
    const seen = this.read.get(name) ?? new Set<ValueNode>();
    if (seen.has(body)) return;
    this.read.set(name, seen.add(body));
    for (const entry of readPairs(this.r, body, `group ${JSON.stringify(name)}`)) {
      if (entry.name === 'hosts') this.hosts(group, entry);
      else if (entry.name === 'children') this.children(group, entry);
      else if (entry.name === 'vars') this.vars(group, entry);
      else this.unknownKey(group, entry);
    }
  }

  private unknownKey(group: AnsibleGroup, entry: Field): void {
    const sameButCase = GROUP_KEYS.find((key) => key === entry.name.toLowerCase());
    const hint = sameButCase === undefined ? '; variables go under vars:' : ` (did you mean "${sameButCase}"?)`;
    this.problem(
      entry.key,
      `unknown key ${JSON.stringify(entry.name)} in group ${JSON.stringify(group.name)}: a group has only hosts:, children: and vars:${hint}`,
    );
  }

  private hosts(group: AnsibleGroup, field: Field): void {
    const value = field.value;
    if (isEmpty(value)) return;
    if (isScalar(value) && typeof value.value === 'string') {
      // Ansible takes a lone name as one host. Names on lines of their own without ":" run
      // together into one name, a classic slip, so say how to write them.
      if (/\s/.test(value.value.trim())) {
        this.problem(
          value,
          `the hosts of group ${JSON.stringify(group.name)} read as the single name ${JSON.stringify(value.value)}: end each host name with ":" (node1:) on a line of its own`,
        );
        return;
      }
      this.host(group, value.value, value, null);
      return;
    }
    if (!isMap(value)) {
      this.problem(
        field.at,
        `the hosts of group ${JSON.stringify(group.name)} must be a mapping of host names, each followed by ":" (node1:), got ${describe(value)}`,
      );
      return;
    }
    for (const entry of readPairs(this.r, value, `the hosts of group ${JSON.stringify(group.name)}`)) {
      this.host(group, entry.name, entry.key, entry.value);
    }
  }

  private host(group: AnsibleGroup, key: string, keyAt: Located, varsNode: ValueNode | null): void {
    this.addHosts(group, key, keyAt, this.hostVars(key, keyAt, varsNode));
  }

  private hostVars(key: string, keyAt: Located, node: ValueNode | null): Field[] {
    if (isEmpty(node)) return [];
    if (isMap(node)) return readPairs(this.r, node, `the variables of host ${JSON.stringify(key)}`);
    this.problem(
      node ?? keyAt,
      `host ${JSON.stringify(key)} must be followed by a mapping of its variables (ansible_host: 10.0.0.1) or by nothing, got ${describe(node)}`,
    );
    return [];
  }

  private children(group: AnsibleGroup, field: Field): void {
    const value = field.value;
    if (isEmpty(value)) return;
    if (isScalar(value) && typeof value.value === 'string') {
      // Ansible takes a lone name as one child group.
      this.group({ key: value, name: value.value, value: null, at: value }, group);
      return;
    }
    if (!isMap(value)) {
      this.problem(
        field.at,
        `the children of group ${JSON.stringify(group.name)} must be a mapping of group names, each followed by ":" (kube_node:), got ${describe(value)}`,
      );
      return;
    }
    for (const entry of readPairs(this.r, value, `the children of group ${JSON.stringify(group.name)}`)) this.group(entry, group);
  }

  private vars(group: AnsibleGroup, field: Field): void {
    const value = field.value;
    if (isEmpty(value)) return;
    if (!isMap(value)) {
      this.problem(field.at, `the vars of group ${JSON.stringify(group.name)} must be a mapping (name: value lines), got ${describe(value)}`);
      return;
    }
    for (const entry of readPairs(this.r, value, `the vars of group ${JSON.stringify(group.name)}`)) this.setGroupVar(group, entry);
  }
}

function newGroup(name: string, at: Located): AnsibleGroup {
  return { name, at, vars: new Map(), fileVars: new Map(), parents: new Set(), children: new Set(), hosts: new Set() };
}

function sameValue(a: ValueNode | null, b: ValueNode | null): boolean {
  return JSON.stringify(a?.toJSON()) === JSON.stringify(b?.toJSON());
}

function shown(value: ValueNode | null): string {
  return JSON.stringify(value?.toJSON() ?? null);
}

function link(parent: AnsibleGroup, child: AnsibleGroup): void {
  parent.children.add(child.name);
  child.parents.add(parent.name);
}

function portDef(host: string, port: number, at: Located): VarDef {
  const value = new Scalar(port);
  value.range = at.range ? [...at.range] : null;
  return { name: 'ansible_port', value, at, owner: { kind: 'host', name: host } };
}
