// Ansible YAML inventories, kubespray's included, read directly as an Inventory. See
// inventory/ansible-example.yaml and inventory/kubespray-hosts.yaml for commented examples.
//
// A host becomes a target when it has a role (see roles.ts). Its connection comes from
// the Ansible variables it sees under Ansible's precedence (see precedence.ts), its
// jump host from its ssh options or else kubespray's bastion group, and its cluster from
// fleetbench_cluster, cluster_name or the inventory file's name.

import { homedir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { isMap } from 'yaml';
import type { Inventory, Target } from '../../model.js';
import { BASTION_GROUP, resolveBastion } from './bastion.js';
import { becomeRoot, resolveConnection, wantsBecome } from './connection.js';
import type { ConnectionContext } from './connection.js';
import { precedence } from './precedence.js';
import type { Precedence } from './precedence.js';
import { clusterOf, ROLES_VAR, rolesOf, writtenClusterName } from './roles.js';
import { readFileVars } from './file-vars.js';
import { addIniFile, readIniTree } from './ini.js';
import { addAnsibleYaml, emptyTree, finishTree, readAnsibleTree } from './tree.js';
import type { AnsibleHost, AnsibleTree } from './tree.js';
import { VarProblems } from './values.js';
import { InventoryError } from '../errors.js';
import type { InventoryOptions } from '../inventory-options.js';
import { failAt, parseInventoryYaml } from '../inventory-yaml.js';
import type { InventoryYaml } from '../inventory-yaml.js';
import { localUserName } from '../local-user.js';
import { lookupContext } from '../ssh-route.js';
import { clusterNameProblem } from '../value-checks.js';
import type { FileIssue } from '../../yaml/file-issues.js';
import { START_OF_FILE } from '../../yaml/issue-list.js';
import type { IssueList, Located } from '../../yaml/issue-list.js';
import { describe, follow } from '../../yaml/yaml-read.js';
import { repeatedNames } from '../same-name.js';

interface Reader extends ConnectionContext {
  prec: Precedence;
  /** The bastion hop, when the inventory has a usable one. */
  bastion: Target | undefined;
  defaultCluster: (host: AnsibleHost) => string | undefined;
}

/** A target and where its host is first written, for messages about it. */
interface PlacedTarget {
  target: Target;
  at: Located;
}

/**
 * Parses an Ansible YAML inventory. `file` is used in messages and, without a cluster variable,
 * as the cluster name. Throws `InventoryError` listing
 * every problem found.
 */
export function parseAnsibleInventory(text: string, file: string, opts: InventoryOptions = {}): Inventory {
  return readAnsibleInventory(parseInventoryYaml(text, file), opts);
}

/** Reads an Ansible inventory from its parsed document. Throws `InventoryError` listing every problem found. */
export function readAnsibleInventory(parsed: InventoryYaml, opts: InventoryOptions = {}): Inventory {
  const root = follow(parsed, parsed.doc.contents);
  if (!isMap(root)) failAt(parsed, root, `an Ansible inventory is a mapping of groups such as all:, got ${describe(root)}`);
  return readTree(readAnsibleTree(parsed, root), fileSource(parsed.file, parsed.issues, root), opts);
}

/** Reads an Ansible INI inventory (see ini.ts). Throws `InventoryError` listing every problem found. */
export function parseAnsibleIniInventory(text: string, file: string, opts: InventoryOptions = {}): Inventory {
  const { tree, issues } = readIniTree(text, file);
  return readTree(tree, fileSource(file, issues, START_OF_FILE), opts);
}

/** One file of an Ansible inventory made of the files of a folder: YAML, parsed, or INI text. */
export type AnsibleFile = { yaml: InventoryYaml } | { ini: string; file: string };

/**
 * Reads the Ansible files of a folder as one inventory, as Ansible reads an inventory folder: the
 * files in the order given add to the same groups and hosts (a host may be listed in one file and
 * put in a group in another). Throws `InventoryError` listing every problem found.
 */
export function readAnsibleFolder(folder: string, files: readonly AnsibleFile[], opts: InventoryOptions = {}): Inventory {
  const tree = emptyTree();
  const lists: IssueList[] = [];
  for (const file of files) {
    if ('ini' in file) {
      lists.push(addIniFile(file.ini, file.file, tree));
      continue;
    }
    const { yaml } = file;
    lists.push(yaml.issues);
    const root = follow(yaml, yaml.doc.contents);
    if (isMap(root)) addAnsibleYaml(yaml, root, tree);
    else yaml.issues.add(root, `an Ansible inventory is a mapping of groups such as all:, got ${describe(root)}`, START_OF_FILE);
  }
  const [first, ...more] = lists;
  if (first === undefined) throw new InventoryError([{ file: folder, line: 0, column: 0, message: 'the folder has no Ansible inventory file' }]);
  // Relative key paths are taken from the folder, as from a file in it.
  return readTree(finishTree(tree), { path: folder, identityBase: join(folder, basename(folder)), lists: [first, ...more] }, opts);
}

/** Where an inventory came from, and the lists its problems go to. */
interface TreeSource {
  /** The file, or the folder of files. */
  path: string;
  /** Relative key paths are taken from this file's folder. */
  identityBase: string;
  /** One per file read; problems that belong to no file in particular go to the first. */
  lists: [IssueList, ...IssueList[]];
  /** In a single file, where to point at the whole inventory; a folder's whole is the folder (line 0). */
  wholeAt?: Located;
}

function fileSource(file: string, issues: IssueList, at: Located): TreeSource {
  return { path: file, identityBase: file, lists: [issues], wholeAt: at };
}

function readTree(tree: AnsibleTree, source: TreeSource, opts: InventoryOptions): Inventory {
  const [issues] = source.lists;
  const whole: FileIssue[] = [];
  const warnings = new Set<string>();
  const fileVars = readFileVars(tree, opts.varsFiles ?? [], (message) => warnings.add(message));
  const prec = precedence(tree, (def, message) => issues.add(def.at, message));
  const ctx: ConnectionContext = {
    issues,
    problems: new VarProblems(),
    identity: { homeDir: opts.homeDir ?? homedir(), relativeTo: opts.cwd ?? process.cwd() },
    localUser: opts.localUser ?? localUserName(),
    become: opts.become ?? false,
    user: opts.user,
    sshConfig: opts.sshConfig,
    lookup: lookupContext(opts),
    warnings,
  };
  const r: Reader = { ...ctx, prec, bastion: resolveBastion(ctx, tree, prec), defaultCluster: defaultCluster(tree, prec) };

  const placed: PlacedTarget[] = [];
  let withRoles = 0;
  for (const host of tree.hosts.values()) {
    const outcome = readHost(r, host);
    if (outcome === 'no roles') continue;
    withRoles += 1;
    if (outcome !== undefined) placed.push({ target: outcome, at: host.at });
  }
  ctx.problems.reportTo(issues);
  reportCaseDuplicates(r, placed);
  if (withRoles === 0 && !tree.malformed) {
    const message = `no host to audit: no host is in an etcd, kube_control_plane or kube_node group (kubespray's groups; also kube-master and kube-node), and none sets ${ROLES_VAR}; put the hosts in those groups, or set ${ROLES_VAR}: [etcd, control-plane] in their vars`;
    if (source.wholeAt === undefined) whole.push({ file: source.path, line: 0, column: 0, message });
    else issues.add(source.wholeAt, message);
  }
  const found = [...whole, ...fileVars.unreadable, ...[...source.lists, ...fileVars.lists].flatMap((list) => list.sorted())];
  if (found.length > 0) throw new InventoryError(found);
  const inventory: Inventory = {
    source: source.path,
    targets: placed.map(({ target }) => target),
    writtenAt: Object.fromEntries(placed.map(({ target, at }) => [target.name, issues.place(at)])),
    groups: groupsOfTargets(tree, prec, new Set(placed.map(({ target }) => target.name))),
  };
  if (warnings.size > 0) inventory.warnings = [...warnings];
  return inventory;
}

/** Every group of the tree with the targets in it or in its children, in inventory order, for --limit. */
function groupsOfTargets(tree: AnsibleTree, prec: Precedence, targets: ReadonlySet<string>): Record<string, string[]> {
  const groups = new Map([...tree.groups.keys()].map((name) => [name, [] as string[]]));
  for (const host of tree.hosts.values()) {
    if (!targets.has(host.name)) continue;
    for (const group of prec.groupsOf(host)) groups.get(group)?.push(host.name);
  }
  return Object.fromEntries(groups);
}

/** The host as a target; 'no roles' when it is not one; undefined when something is wrong (reported). */
function readHost(r: Reader, host: AnsibleHost): Target | 'no roles' | undefined {
  const groups = r.prec.groupsOf(host);
  const vars = r.prec.varsOf(host);
  const roles = rolesOf(r.problems, host, groups, vars);
  if (roles !== undefined && roles.length === 0) return 'no roles';
  const cluster = clusterOf(r.problems, host, vars, () => r.defaultCluster(host));
  // kubespray reaches every host but the bastion through it, unless the host's own ssh options say otherwise.
  const bastion = groups.has(BASTION_GROUP) ? undefined : r.bastion;
  const route = resolveConnection(r, host, vars, cluster ?? '', bastion);
  const wanted = wantsBecome(r, host, vars);
  const become = route === undefined || wanted !== true ? wanted : becomeRoot(r, host, vars, route.user);
  if (roles === undefined || cluster === undefined || route === undefined || become === undefined) return undefined;
  return { name: host.name, cluster, ...route, roles, become };
}

/**
 * The cluster for hosts that name none. When every host that names one names the same, it is
 * that: kubespray keeps cluster_name in group_vars/k8s_cluster, which dedicated etcd hosts are
 * not in, and they belong to the same cluster all the same. Otherwise the name of the file that
 * first lists the host.
 */
function defaultCluster(tree: AnsibleTree, prec: Precedence): (host: AnsibleHost) => string | undefined {
  const named = new Set<string>();
  for (const host of tree.hosts.values()) {
    const name = writtenClusterName(prec.varsOf(host));
    if (name !== undefined) named.add(name);
  }
  const [only] = named;
  if (named.size === 1 && only !== undefined && clusterNameProblem(only) === undefined) return () => only;
  return fileCluster();
}

/** The name without extension of the file that first lists a host, checked once per file. */
function fileCluster(): (host: AnsibleHost) => string | undefined {
  const reported = new Set<IssueList>();
  return (host) => {
    const list = host.at.list;
    const file = list?.file ?? '';
    const name = basename(file, extname(file));
    const problem = clusterNameProblem(name);
    if (problem === undefined) return name;
    if (list !== undefined && !reported.has(list)) {
      list.add(
        START_OF_FILE,
        `hosts that set neither fleetbench_cluster nor cluster_name are put in a cluster named after the file, but ${JSON.stringify(name)} ${problem}; set fleetbench_cluster under all: vars:`,
      );
      reported.add(list);
    }
    return undefined;
  };
}

// Ansible keeps `node1` and `NODE1` apart, but they are one machine to DNS and would be
// scanned twice under names reports cannot tell apart.
function reportCaseDuplicates(r: Reader, placed: PlacedTarget[]): void {
  for (const [current, first] of repeatedNames(placed, (p) => p.target.name)) {
    r.issues.add(
      current.at,
      `host ${JSON.stringify(current.target.name)} differs from host ${JSON.stringify(first.target.name)} (${r.issues.where(first.at)}) only in case; DNS ignores case, so they are one machine: spell it one way`,
    );
  }
}
