// Jump hosts and ProxyCommands given in a host's ssh options: `ansible_ssh_common_args: -J
// ops@bastion:2222`, `-o ProxyJump=a,b`, `-o ProxyCommand="ssh -W %h:%p bastion"`. The options are
// read as ssh reads its command line; the ProxyCommand runs only when the host is scanned.

import { parseJumpChain } from '../jump-spec.js';
import type { JumpHop } from '../jump-spec.js';
import type { GivenOptions } from '../ssh-config.js';
import { splitShellWords } from './shell-words.js';
import { readProxyOptions } from './ssh-jump-options.js';
import type { ProxyOptions } from './ssh-jump-options.js';
import type { AnsibleHost, VarDef, Vars } from './tree.js';
import { isUnset, readText } from './values.js';
import type { VarProblems } from './values.js';

// In the order Ansible puts them on ssh's command line; ssh keeps the first value it reads.
const SSH_ARGS_VARS = ['ansible_ssh_args', 'ansible_ssh_common_args', 'ansible_ssh_extra_args'];

/** What a host's ssh options put on ssh's command line about how to reach it. */
export type ProxyPlan = Pick<GivenOptions, 'jump' | 'proxyCommand'>;

/** The host's proxy settings, or undefined when its ssh options are wrong (reported). */
export function proxyPlan(problems: VarProblems, host: AnsibleHost, vars: Vars): ProxyPlan | undefined {
  const state: ProxyOptions = {};
  let jumpDef: VarDef | undefined;
  for (const name of SSH_ARGS_VARS) {
    const def = vars.get(name);
    if (def === undefined || isUnset(def)) continue;
    const text = problems.take(def, readText(def), host.name);
    if (text === undefined) return undefined;
    const split = splitShellWords(text);
    if ('problem' in split) {
      problems.add(def, `${def.name} ${split.problem}`, host.name);
      return undefined;
    }
    const hadJump = state.jump !== undefined;
    const problem = readProxyOptions(split.words, state);
    if (problem !== undefined) {
      problems.add(def, `${def.name} ${problem.problem}`, host.name);
      return undefined;
    }
    if (!hadJump && state.jump !== undefined) jumpDef = def;
  }
  const plan: ProxyPlan = {};
  if (state.proxyCommand !== undefined) plan.proxyCommand = state.proxyCommand;
  if (state.jump !== undefined && jumpDef !== undefined) {
    const hops = jumpHops(state.jump);
    if ('problem' in hops) {
      problems.add(jumpDef, `${jumpDef.name}: ${hops.problem}`, host.name);
      return undefined;
    }
    plan.jump = hops.hops;
  }
  return plan;
}

function jumpHops(spec: string): { hops: JumpHop[] | 'none' } | { problem: string } {
  if (spec.toLowerCase() === 'none') return { hops: 'none' };
  return parseJumpChain(spec);
}
