// Typed reads of Ansible variables, and the list of what is wrong with them. A variable set
// once for a group is wrong once, however many hosts use it, so each definition is reported
// once, at its position, naming the hosts it affects.

import { isScalar, isSeq } from 'yaml';
import { ROLES } from '../../model.js';
import type { Role } from '../../model.js';
import { UNSAFE_TAG, VAULT_TAG } from '../inventory-yaml.js';
import type { VarDef, Vars } from './tree.js';
import type { IssueList } from '../../yaml/issue-list.js';
import { describe, isEmpty } from '../../yaml/yaml-read.js';
import { isPort } from '../value-checks.js';

/** A value, or what is wrong with it as a message that starts with the variable's name. */
export type Checked<T> = { value: T } | { problem: string };

// Ansible's boolean spellings (module_utils.parsing.convert_bool), compared in lower case.
const ANSIBLE_TRUE = new Set(['true', 'yes', 'on', '1', 'y', 't']);
const ANSIBLE_FALSE = new Set(['false', 'no', 'off', '0', 'n', 'f']);

/** The first of `names` that `vars` sets to something, as Ansible picks among a setting's spellings. */
export function pick(vars: Vars, names: readonly string[]): VarDef | undefined {
  for (const name of names) {
    const def = vars.get(name);
    if (def !== undefined && !isUnset(def)) return def;
  }
  return undefined;
}

/** `name:` with nothing after it: Ansible reads it as None, which connection settings skip. */
export function isUnset(def: VarDef): boolean {
  return isEmpty(def.value);
}

export function readText(def: VarDef): Checked<string> {
  const node = def.value;
  if (!isScalar(node) || typeof node.value !== 'string') {
    return { problem: `${def.name} must be text, got ${describe(node)}` };
  }
  if (node.tag === VAULT_TAG) {
    return { problem: `${def.name} is encrypted with Ansible Vault, which fleetbench cannot decrypt; write its value in clear text (it is not a secret)` };
  }
  // Values tagged !unsafe are never templated by Ansible, so their braces are literal.
  if (node.tag !== UNSAFE_TAG && /\{\{|\{%/.test(node.value)) {
    return {
      problem: `${def.name} ${JSON.stringify(node.value)} is a Jinja2 template, which fleetbench does not evaluate; write the value itself`,
    };
  }
  return { value: node.value };
}

/** A port: a number, or digits as text (Ansible converts the value with int()). */
export function readPortNumber(def: VarDef): Checked<number> {
  const raw: unknown = isScalar(def.value) ? def.value.value : undefined;
  const value = typeof raw === 'string' && /^\d{1,5}$/.test(raw) ? Number(raw) : raw;
  if (typeof value === 'number' && isPort(value)) return { value };
  return { problem: `${def.name} must be a whole number from 1 to 65535, got ${describe(def.value)}` };
}

/** A boolean, in any of Ansible's spellings: YAML true/false, yes/no, on/off, 1/0... in any case. */
export function readAnsibleBoolean(def: VarDef): Checked<boolean> {
  const raw: unknown = isScalar(def.value) ? def.value.value : undefined;
  if (typeof raw === 'boolean') return { value: raw };
  const spelled = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim().toLowerCase() : undefined;
  if (spelled !== undefined && ANSIBLE_TRUE.has(spelled)) return { value: true };
  if (spelled !== undefined && ANSIBLE_FALSE.has(spelled)) return { value: false };
  return { problem: `${def.name} must be true or false (or yes/no, on/off, 1/0), got ${describe(def.value)}` };
}

/** A list of fleetbench roles. An empty list is allowed: it keeps a host out of the audit. */
export function readRoleList(def: VarDef): Checked<Role[]> {
  if (!isSeq(def.value)) {
    return { problem: `${def.name} must be a list such as [etcd, control-plane], got ${describe(def.value)}` };
  }
  const roles: Role[] = [];
  for (const item of def.value.items) {
    const spelled: unknown = isScalar(item) ? item.value : undefined;
    const role = ROLES.find((known) => known === spelled);
    if (role === undefined) {
      const got = typeof spelled === 'string' ? `unknown role ${JSON.stringify(spelled)}` : 'an item that is not a role name';
      return { problem: `${def.name} has ${got}; roles are: ${ROLES.join(', ')}` };
    }
    if (!roles.includes(role)) roles.push(role);
  }
  return { value: roles };
}

const HOSTS_NAMED = 3;

/** Problems with variable definitions, each reported once with the hosts it affects. */
export class VarProblems {
  private readonly found = new Map<VarDef, { message: string; hosts: string[] }>();

  add(def: VarDef, message: string, host: string): void {
    const entry = this.found.get(def);
    if (entry === undefined) this.found.set(def, { message, hosts: [host] });
    else if (!entry.hosts.includes(host)) entry.hosts.push(host);
  }

  /** The value when there is one; otherwise records the problem for `host` and gives undefined. */
  take<T>(def: VarDef, checked: Checked<T>, host: string): T | undefined {
    if ('value' in checked) return checked.value;
    this.add(def, checked.problem, host);
    return undefined;
  }

  /** Into `issues`, or the list of the vars file a definition is written in. */
  reportTo(issues: IssueList): void {
    for (const [def, { message, hosts }] of this.found) (def.issues ?? issues).add(def.at, `${message} ${affected(def, hosts)}`);
  }
}

function affected(def: VarDef, hosts: string[]): string {
  const named = hosts.slice(0, HOSTS_NAMED).join(', ');
  const more = hosts.length > HOSTS_NAMED ? ` and ${hosts.length - HOSTS_NAMED} more` : '';
  const which = `${hosts.length === 1 ? 'host' : 'hosts'} ${named}${more}`;
  return def.owner.kind === 'group' ? `(set in group ${JSON.stringify(def.owner.name)}, for ${which})` : `(for ${which})`;
}
