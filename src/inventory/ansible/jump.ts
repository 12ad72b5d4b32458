// Jump hosts given in a host's ssh options: `ansible_ssh_common_args: -J ops@bastion:2222` or
// `-o ProxyJump=a,b`. The options are read, never run.
//
// A chain becomes nested targets, each jump being the hop right before its target: for
// `ProxyJump a,b` (ssh connects to a, from a to b, from b to the host) the target's jump is b
// and b's jump is a. The outermost hop, the one fleetbench connects to first, is the deepest.

import type { Target } from '../../model.js';
import { parseJumpChain } from '../jump-spec.js';
import type { JumpHop } from '../jump-spec.js';
import { hopTarget } from '../jump-targets.js';
import { localUserFallback } from '../local-user.js';
import { splitShellWords } from './shell-words.js';
import { jumpOption } from './ssh-jump-options.js';
import type { AnsibleHost, VarDef, Vars } from './tree.js';
import { isUnset, readText } from './values.js';
import type { VarProblems } from './values.js';
import type { IssueList } from '../../yaml/issue-list.js';

// In the order Ansible puts them on ssh's command line; ssh keeps the first value it reads.
const SSH_ARGS_VARS = ['ansible_ssh_args', 'ansible_ssh_common_args', 'ansible_ssh_extra_args'];

const DEFAULT_PORT = 22;

/** What a host's ssh options say about jump hosts. */
export type JumpPlan =
  | { kind: 'unset' }
  /** ProxyJump none: connect directly, whatever else is configured. */
  | { kind: 'direct' }
  | { kind: 'chain'; hops: JumpHop[]; def: VarDef };

export interface JumpContext {
  problems: VarProblems;
  localUser: string | undefined;
}

/** The host's jump plan, or undefined when its ssh options are wrong (reported). */
export function jumpPlan(ctx: JumpContext, host: AnsibleHost, vars: Vars): JumpPlan | undefined {
  let plan: JumpPlan = { kind: 'unset' };
  let valid = true;
  for (const name of SSH_ARGS_VARS) {
    const def = vars.get(name);
    if (def === undefined || isUnset(def)) continue;
    const found = readJumpOption(ctx, host, def);
    if (found === undefined) valid = false;
    else if (plan.kind === 'unset') plan = found;
  }
  return valid ? plan : undefined;
}

function readJumpOption(ctx: JumpContext, host: AnsibleHost, def: VarDef): JumpPlan | undefined {
  const text = ctx.problems.take(def, readText(def), host.name);
  if (text === undefined) return undefined;
  const split = splitShellWords(text);
  if ('problem' in split) {
    ctx.problems.add(def, `${def.name} ${split.problem}`, host.name);
    return undefined;
  }
  const option = jumpOption(split.words);
  if (option === undefined) return { kind: 'unset' };
  if (option.kind === 'problem') {
    ctx.problems.add(def, `${def.name} ${option.problem}`, host.name);
    return undefined;
  }
  if (option.kind === 'direct') return { kind: 'direct' };
  const chain = parseJumpChain(option.spec);
  if ('problem' in chain) {
    ctx.problems.add(def, `${def.name}: ${chain.problem}`, host.name);
    return undefined;
  }
  return { kind: 'chain', hops: chain.hops, def };
}

/** The chain of a host's ssh options as nested hop targets (see the top of this file), or undefined when a hop has no usable user (reported). */
export function chainTarget(ctx: JumpContext, host: AnsibleHost, chain: { hops: JumpHop[]; def: VarDef }, cluster: string): Target | undefined {
  const { def } = chain;
  return hopChain(ctx, chain.hops, cluster, (hop, problem) =>
    ctx.problems.add(def, `${def.name}: jump host ${JSON.stringify(hop.host)} names no user, and ${problem}; write it as user@${hop.host}`, host.name),
  );
}

/** ssh_config's ProxyJump chain for a host, the same way; a hop without a user is reported at the host. */
export function configChainTarget(
  ctx: JumpContext & { issues: IssueList },
  host: AnsibleHost,
  hops: JumpHop[],
  cluster: string,
  configFile: string,
): Target | undefined {
  return hopChain(ctx, hops, cluster, (hop, problem) =>
    ctx.issues.add(
      host.at,
      `ProxyJump for ${JSON.stringify(host.name)} in ${configFile}: jump host ${JSON.stringify(hop.host)} names no user, and ${problem}; write it as user@${hop.host}`,
    ),
  );
}

// ssh logs in to a jump host that names no user as the local user, not as the target's user,
// and with its own keys (the target's -i does not reach the hop's ssh).
function hopChain(ctx: JumpContext, hops: JumpHop[], cluster: string, noUser: (hop: JumpHop, problem: string) => void): Target | undefined {
  let previous: Target | undefined;
  for (const hop of hops) {
    let user = hop.user;
    if (user === undefined) {
      const fallback = localUserFallback(ctx.localUser);
      if ('problem' in fallback) {
        noUser(hop, fallback.problem);
        return undefined;
      }
      user = fallback.user;
    }
    previous = hopTarget({ name: hop.host, address: hop.host, port: hop.port ?? DEFAULT_PORT, user, identityFiles: [] }, cluster, previous);
  }
  return previous;
}
