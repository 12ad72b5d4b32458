// Ansible YAML inventories, kubespray's included, read directly as an Inventory. See
// inventory/ansible-example.yaml and inventory/kubespray-hosts.yaml for commented examples.
//
// A host becomes a target when it has a role (see roles.ts). Its connection comes from
// the Ansible variables it sees under Ansible's precedence (see precedence.ts), its
// jump host from its ssh options or else kubespray's bastion group, and its cluster from
// fleetbench_cluster, cluster_name or the inventory file's name.

import { homedir } from 'node:os';
import { basename, extname } from 'node:path';
import { isMap } from 'yaml';
import type { Inventory, Target } from '../../model.js';
import { BASTION_GROUP, resolveBastion } from './bastion.js';
import { becomeRoot, resolveConnection, wantsBecome } from './connection.js';
import type { ConnectionContext } from './connection.js';
import { precedence } from './precedence.js';
import type { Precedence } from './precedence.js';
import { clusterOf, ROLES_VAR, rolesOf, writtenClusterName } from './roles.js';
import { readFileVars } from './file-vars.js';
import { readIniTree } from './ini.js';
import { readAnsibleTree } from './tree.js';
import type { AnsibleHost, AnsibleTree } from './tree.js';
import { VarProblems } from './values.js';
import { InventoryError } from '../errors.js';
import type { InventoryOptions } from '../inventory-options.js';
import { failAt, parseInventoryYaml } from '../inventory-yaml.js';
import type { InventoryYaml } from '../inventory-yaml.js';
import { localUserName } from '../local-user.js';
import { lookupContext } from '../ssh-route.js';
import { clusterNameProblem } from '../value-checks.js';
import { START_OF_FILE } from '../../yaml/issue-list.js';
import type { IssueList, Located } from '../../yaml/issue-list.js';
import { describe, follow } from '../../yaml/yaml-read.js';
import { repeatedNames } from '../same-name.js';

interface Reader extends ConnectionContext {
  prec: Precedence;
  /** The bastion hop, when the inventory has a usable one. */
  bastion: Target | undefined;
  defaultCluster: () => string | undefined;
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
  return readTree(readAnsibleTree(parsed, root), { file: parsed.file, issues: parsed.issues, at: root }, opts);
}

/** Reads an Ansible INI inventory (see ini.ts). Throws `InventoryError` listing every problem found. */
export function parseAnsibleIniInventory(text: string, file: string, opts: InventoryOptions = {}): Inventory {
  const { tree, issues } = readIniTree(text, file);
  return readTree(tree, { file, issues, at: START_OF_FILE }, opts);
}

/** The file an inventory came from, the list its problems go to, and where to point at the whole. */
interface TreeSource {
  file: string;
  issues: IssueList;
  at: Located;
}

function readTree(tree: AnsibleTree, source: TreeSource, opts: InventoryOptions): Inventory {
  const { issues, file } = source;
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
  const r: Reader = { ...ctx, prec, bastion: resolveBastion(ctx, tree, prec), defaultCluster: defaultCluster(source, tree, prec) };

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
    issues.add(
      source.at,
      `no host to audit: no host is in an etcd, kube_control_plane or kube_node group (kubespray's groups; also kube-master and kube-node), and none sets ${ROLES_VAR}; put the hosts in those groups, or set ${ROLES_VAR}: [etcd, control-plane] in their vars`,
    );
  }
  const found = [...fileVars.unreadable, ...[issues, ...fileVars.lists].flatMap((list) => list.sorted())];
  if (found.length > 0) throw new InventoryError(found);
  const inventory: Inventory = { source: file, targets: placed.map(({ target }) => target) };
  if (warnings.size > 0) inventory.warnings = [...warnings];
  return inventory;
}

/** The host as a target; 'no roles' when it is not one; undefined when something is wrong (reported). */
function readHost(r: Reader, host: AnsibleHost): Target | 'no roles' | undefined {
  const groups = r.prec.groupsOf(host);
  const vars = r.prec.varsOf(host);
  const roles = rolesOf(r.problems, host, groups, vars);
  if (roles !== undefined && roles.length === 0) return 'no roles';
  const cluster = clusterOf(r.problems, host, vars, r.defaultCluster);
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
 * not in, and they belong to the same cluster all the same. Otherwise the file's name.
 */
function defaultCluster(source: TreeSource, tree: AnsibleTree, prec: Precedence): () => string | undefined {
  const named = new Set<string>();
  for (const host of tree.hosts.values()) {
    const name = writtenClusterName(prec.varsOf(host));
    if (name !== undefined) named.add(name);
  }
  const [only] = named;
  if (named.size === 1 && only !== undefined && clusterNameProblem(only) === undefined) return () => only;
  return fileCluster(source);
}

/** The file's name without extension, checked once. */
function fileCluster(source: TreeSource): () => string | undefined {
  const name = basename(source.file, extname(source.file));
  const problem = clusterNameProblem(name);
  let reported = false;
  return () => {
    if (problem === undefined) return name;
    if (!reported) {
      source.issues.add(
        START_OF_FILE,
        `hosts that set neither fleetbench_cluster nor cluster_name are put in a cluster named after the file, but ${JSON.stringify(name)} ${problem}; set fleetbench_cluster under all: vars:`,
      );
      reported = true;
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
