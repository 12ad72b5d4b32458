// What fleetbench audits on an Ansible host, and which cluster it belongs to.
//
// Roles come from kubespray's groups, including their pre-2.16 names, unless the host sees the
// variable `fleetbench_roles`, which sets them outright (for inventories not made by kubespray,
// or to leave a host out with []). A host without roles is not a target: a kubespray inventory
// also lists route reflectors (calico_rr), the bastion and hosts unrelated to Kubernetes.

import { isScalar } from 'yaml';
import { ROLES } from '../../model.js';
import type { Role } from '../../model.js';
import type { AnsibleHost, Vars } from './tree.js';
import { pick, readRoleList, readText } from './values.js';
import type { VarProblems } from './values.js';
import { clusterNameProblem } from '../value-checks.js';

const ROLE_GROUPS: ReadonlyMap<string, Role> = new Map([
  ['etcd', 'etcd'],
  ['kube_control_plane', 'control-plane'],
  ['kube-master', 'control-plane'],
  ['kube_master', 'control-plane'],
  ['kube_node', 'worker'],
  ['kube-node', 'worker'],
]);

export const ROLES_VAR = 'fleetbench_roles';

/**
 * The cluster: fleetbench's own variable first, then kubespray's `cluster_name`. kubespray
 * uses cluster_name as the cluster's DNS domain (cluster.local by default), so an inventory
 * that sets it for kubespray should name the cluster for fleetbench with fleetbench_cluster.
 */
const CLUSTER_VARS = ['fleetbench_cluster', 'cluster_name'];

/** The cluster name a host's variables give, as written (checked by clusterOf), or undefined. */
export function writtenClusterName(vars: Vars): string | undefined {
  const def = pick(vars, CLUSTER_VARS);
  const value: unknown = def !== undefined && isScalar(def.value) ? def.value.value : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The host's roles in ROLES order, or undefined when fleetbench_roles is wrong (reported). */
export function rolesOf(problems: VarProblems, host: AnsibleHost, groups: ReadonlySet<string>, vars: Vars): Role[] | undefined {
  const def = pick(vars, [ROLES_VAR]);
  if (def !== undefined) return problems.take(def, readRoleList(def), host.name);
  const roles = new Set([...groups].flatMap((group) => ROLE_GROUPS.get(group) ?? []));
  return ROLES.filter((role) => roles.has(role));
}

/**
 * The host's cluster, or undefined when the variable naming it is wrong (reported).
 * `fallback` gives the cluster for hosts that set none.
 */
export function clusterOf(problems: VarProblems, host: AnsibleHost, vars: Vars, fallback: () => string | undefined): string | undefined {
  const def = pick(vars, CLUSTER_VARS);
  if (def === undefined) return fallback();
  const name = problems.take(def, readText(def), host.name);
  if (name === undefined) return undefined;
  const problem = clusterNameProblem(name);
  if (problem === undefined) return name;
  problems.add(def, `${def.name} ${JSON.stringify(name)} ${problem}`, host.name);
  return undefined;
}
