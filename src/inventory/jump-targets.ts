import type { Target } from '../model.js';

// Jump hosts as targets, shared by every inventory reader. A chain becomes nested targets, each
// jump being the hop right before its target (see Target.jump).

/** How a host is reached: everything of a target but what it is and what runs there. */
export type Route = Omit<Target, 'name' | 'cluster' | 'roles' | 'become'>;

/**
 * A jump host as a target. Nothing runs on it, so it has no roles and no sudo; it carries the
 * cluster of the target it leads to, so that every target's jumps read as part of its cluster.
 */
export function hopTarget(name: string, route: Route, cluster: string): Target {
  return { ...route, name, cluster, roles: [], become: false, identityFiles: [...route.identityFiles] };
}

/** A copy of a hop chain for a target of `cluster`; every target gets its own objects. */
export function hopForCluster(hop: Target, cluster: string): Target {
  const copy = hopTarget(hop.name, hop, cluster);
  if (hop.jump !== undefined) copy.jump = hopForCluster(hop.jump, cluster);
  return copy;
}

/** A target and every hop on the way to it: all that fleetbench logs in to for it. */
export function withHops(target: Target): Target[] {
  return target.jump === undefined ? [target] : [target, ...withHops(target.jump)];
}

/** How a target is reached, for listings: its jump chain (outermost hop first, as ProxyJump writes it) or its ProxyCommand. */
export function describeRoute(target: Target): string {
  if (target.proxyCommand !== undefined) return `ProxyCommand ${target.proxyCommand.command}`;
  const hops: string[] = [];
  let hop = target.jump;
  let outermost: Target | undefined;
  while (hop !== undefined) {
    hops.unshift(`${hop.user}@${hop.address}${hop.port === 22 ? '' : `:${hop.port}`}`);
    outermost = hop;
    hop = hop.jump;
  }
  const chain = hops.join(',');
  return outermost?.proxyCommand === undefined ? chain : `${chain} (${outermost.name} by ProxyCommand ${outermost.proxyCommand.command})`;
}

/** The keys a target is offered, for listings. */
export function describeKeys(target: Target): string {
  const files = target.identityFiles.length > 0 ? target.identityFiles.join(',') : target.noDefaultIdentityFiles ? '(none)' : '(defaults)';
  if (target.identityAgent === 'none') return `${files}; no agent`;
  const agent = target.identityAgent === undefined ? 'agent' : `agent ${target.identityAgent}`;
  return `${files}; ${agent}${target.identitiesOnly ? ' (IdentitiesOnly)' : ''}`;
}
