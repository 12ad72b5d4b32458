import type { Target } from '../model.js';

// Jump hosts as targets, shared by every inventory reader. A chain becomes nested targets, each
// jump being the hop right before its target (see Target.jump).

export interface HopEndpoint {
  name: string;
  address: string;
  port: number;
  user: string;
  identityFiles: string[];
}

/**
 * A jump host as a target. Nothing runs on it, so it has no roles and no sudo; it carries the
 * cluster of the target it leads to, so that every target's jumps read as part of its cluster.
 */
export function hopTarget(endpoint: HopEndpoint, cluster: string, jump: Target | undefined): Target {
  return {
    name: endpoint.name,
    cluster,
    address: endpoint.address,
    port: endpoint.port,
    user: endpoint.user,
    roles: [],
    become: false,
    identityFiles: [...endpoint.identityFiles],
    ...(jump === undefined ? {} : { jump }),
  };
}

/** A copy of a hop chain for a target of `cluster`; every target gets its own objects. */
export function hopForCluster(hop: Target, cluster: string): Target {
  return hopTarget(hop, cluster, hop.jump === undefined ? undefined : hopForCluster(hop.jump, cluster));
}

/** A target and every hop on the way to it: all that fleetbench logs in to for it. */
export function withHops(target: Target): Target[] {
  return target.jump === undefined ? [target] : [target, ...withHops(target.jump)];
}
