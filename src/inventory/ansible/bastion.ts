// kubespray's bastion: a host in the group `bastion` (kubespray's sample inventory writes
// `bastion ansible_host=x.x.x.x ansible_user=some_user`) through which every other host is
// reached. kubespray uses the host named `bastion`; a group with one host of another name is
// taken as meaning that host.

import type { Target } from '../../model.js';
import { resolveConnection } from './connection.js';
import type { ConnectionContext } from './connection.js';
import { hopTarget } from '../jump-targets.js';
import type { Precedence } from './precedence.js';
import type { AnsibleHost, AnsibleTree } from './tree.js';

export const BASTION_GROUP = 'bastion';

/**
 * The bastion as a hop target (its cluster left empty, to be set per target with
 * hopForCluster), or undefined when there is none or it cannot be used (reported, which fails
 * the inventory).
 */
export function resolveBastion(ctx: ConnectionContext, tree: AnsibleTree, prec: Precedence): Target | undefined {
  const group = tree.groups.get(BASTION_GROUP);
  if (group === undefined) return undefined;
  const members = [...tree.hosts.values()].filter((host) => prec.groupsOf(host).has(BASTION_GROUP));
  if (members.length === 0) return undefined;
  const bastion = pickBastion(members);
  if (bastion === undefined) {
    ctx.issues.add(
      group.at,
      `group "${BASTION_GROUP}" has ${members.length} hosts (${members.map((host) => host.name).join(', ')}); like kubespray, fleetbench uses one bastion: name it "${BASTION_GROUP}", or give each host its jump host with ansible_ssh_common_args: -J user@host`,
    );
    return undefined;
  }
  const route = resolveConnection(ctx, bastion, prec.varsOf(bastion), '', undefined);
  return route === undefined ? undefined : hopTarget(bastion.name, route, '');
}

function pickBastion(members: AnsibleHost[]): AnsibleHost | undefined {
  return members.find((host) => host.name === BASTION_GROUP) ?? (members.length === 1 ? members[0] : undefined);
}
