// How to reach one host, from the Ansible connection variables it sees. Ansible's ssh
// connection plugin hands them to OpenSSH on its command line (-o Port, -o IdentityFile,
// -o User, then ansible_ssh_args, _common_args and _extra_args), which reads ~/.ssh/config
// beneath them for the address Ansible gives it; fleetbench does the same (see ssh-route.ts).
// Where Ansible knows a setting by two names, the `ansible_ssh_` spelling wins when both are set,
// as in Ansible's ssh connection plugin (the later name in its list of variables wins).

import type { Target } from '../../model.js';
import { resolveIdentityPath } from '../identity-path.js';
import type { IdentityPathContext } from '../identity-path.js';
import { hopForCluster } from '../jump-targets.js';
import type { Route } from '../jump-targets.js';
import type { SshConfig } from '../ssh-config-file.js';
import type { GivenOptions, SshLookupContext } from '../ssh-config.js';
import { resolveRoute } from '../ssh-route.js';
import type { AnsibleHost, VarDef, Vars } from './tree.js';
import { proxyPlan } from './jump.js';
import { pick, readAnsibleBoolean, readPortNumber, readText } from './values.js';
import type { VarProblems } from './values.js';
import { hostProblem, userProblem } from '../value-checks.js';
import type { IssueList } from '../../yaml/issue-list.js';

const ADDRESS_VARS = ['ansible_ssh_host', 'ansible_host'];
const PORT_VARS = ['ansible_ssh_port', 'ansible_port'];
const USER_VARS = ['ansible_ssh_user', 'ansible_user'];
const KEY_FILE_VARS = ['ansible_ssh_private_key_file', 'ansible_private_key_file'];
const BECOME_VARS = ['ansible_become'];
const BECOME_METHOD_VARS = ['ansible_become_method'];
// The sudo become plugin's names for become_user, the later one winning.
const BECOME_USER_VARS = ['ansible_sudo_user', 'ansible_become_user'];
const CONNECTION_VARS = ['ansible_connection'];

// Connection plugins that are ssh under another name; any other (local, docker, winrm...)
// would mean fleetbench reaches a different machine than Ansible does.
const SSH_CONNECTIONS = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh']);
const SUDO = new Set(['sudo', 'ansible.builtin.sudo']);

export interface ConnectionContext {
  issues: IssueList;
  problems: VarProblems;
  /** Relative key files are taken from the current directory, as Ansible's ssh opens them. */
  identity: IdentityPathContext;
  localUser: string | undefined;
  /** become for hosts that see no ansible_become. */
  become: boolean;
  /** The login user for hosts that see no ansible_user (--user, as `ansible -u`). */
  user: string | undefined;
  /** Ansible's ssh reads it too: it fills in what the host's variables leave out. */
  sshConfig: SshConfig | undefined;
  lookup: SshLookupContext;
  warnings: Set<string>;
}

/**
 * How to reach the host, or undefined when something about it is wrong (reported). `bastion` is
 * kubespray's, for hosts whose ssh options name no jump host or ProxyCommand: kubespray puts it on
 * ssh's command line, above ssh_config.
 */
export function resolveConnection(ctx: ConnectionContext, host: AnsibleHost, vars: Vars, cluster: string, bastion: Target | undefined): Route | undefined {
  const connectionOk = checkConnectionType(ctx, host, pick(vars, CONNECTION_VARS));
  const address = resolveAddress(ctx, host, pick(vars, ADDRESS_VARS));
  const portDef = pick(vars, PORT_VARS);
  const port = portDef === undefined ? null : ctx.problems.take(portDef, readPortNumber(portDef), host.name);
  const user = resolveUser(ctx, host, pick(vars, USER_VARS));
  const keyDef = pick(vars, KEY_FILE_VARS);
  const keyFile = keyDef === undefined ? null : resolveKeyFile(ctx, host, keyDef);
  const proxy = proxyPlan(ctx.problems, host, vars);
  if (!connectionOk || address === undefined || port === undefined || user === undefined || keyFile === undefined || proxy === undefined) {
    return undefined;
  }
  const given: GivenOptions = { ...proxy };
  if (port !== null) given.port = port;
  if (user !== null) given.user = user;
  if (keyFile !== null) given.identityFiles = [keyFile];
  const viaBastion = bastion !== undefined && proxy.jump === undefined && proxy.proxyCommand === undefined;
  if (viaBastion) given.proxyCommand = 'none';
  const route = resolveRoute({ config: ctx.sshConfig, lookup: ctx.lookup, localUser: ctx.localUser, cluster, hopsUseHostKeys: false }, address, given, {
    problem: (message) => ctx.issues.add(host.at, message),
    note: (message) => ctx.warnings.add(message),
    noUser: (problem) =>
      ctx.issues.add(host.at, `no ansible_user is set for host ${JSON.stringify(host.name)} or its groups, and ${problem}; set ansible_user under all: vars:`),
  });
  if (route !== undefined && viaBastion) route.jump = hopForCluster(bastion, cluster);
  return route;
}

/** Whether the host asks to become root (ansible_become, else --become); undefined when the value is wrong (reported). */
export function wantsBecome(ctx: ConnectionContext, host: AnsibleHost, vars: Vars): boolean | undefined {
  const becomeDef = pick(vars, BECOME_VARS);
  return becomeDef === undefined ? ctx.become : ctx.problems.take(becomeDef, readAnsibleBoolean(becomeDef), host.name);
}

/**
 * For a host that asks to become root: whether the probe runs through sudo, or undefined when the
 * host is refused (reported). fleetbench becomes root with `sudo -n` only: su (and the other
 * methods) want a password on a terminal, which fleetbench never opens, and a user other than root
 * could not read what the probe needs, so such hosts are refused, never scanned as if sudo were
 * meant. A root login needs no method at all.
 */
export function becomeRoot(ctx: ConnectionContext, host: AnsibleHost, vars: Vars, loginUser: string): boolean | undefined {
  const leaveOut = 'or leave the hosts out of the audit with fleetbench_roles: []';
  const userDef = pick(vars, BECOME_USER_VARS);
  const becomeUser = userDef === undefined ? 'root' : ctx.problems.take(userDef, readText(userDef), host.name);
  if (becomeUser === undefined) return undefined;
  if (userDef !== undefined && becomeUser !== 'root') {
    ctx.problems.add(
      userDef,
      `${userDef.name} is ${JSON.stringify(becomeUser)}, but the probe must run as root and fleetbench becomes nobody else; set it to root (or leave it unset), ${leaveOut}`,
      host.name,
    );
    return undefined;
  }
  if (loginUser === 'root') return false;
  const methodDef = pick(vars, BECOME_METHOD_VARS);
  const method = methodDef === undefined ? 'sudo' : ctx.problems.take(methodDef, readText(methodDef), host.name);
  if (method === undefined) return undefined;
  if (SUDO.has(method)) return true;
  ctx.problems.add(
    methodDef!,
    `${methodDef!.name} is ${JSON.stringify(method)}, but fleetbench becomes root with sudo -n only (${method} wants a password on a terminal, and fleetbench never opens one); give ${loginUser} sudo rights and set ${methodDef!.name}: sudo, log in as root, ${leaveOut}`,
    host.name,
  );
  return undefined;
}

function checkConnectionType(ctx: ConnectionContext, host: AnsibleHost, def: VarDef | undefined): boolean {
  if (def === undefined) return true;
  const type = ctx.problems.take(def, readText(def), host.name);
  if (type === undefined) return false;
  if (SSH_CONNECTIONS.has(type)) return true;
  ctx.problems.add(
    def,
    `${def.name} is ${JSON.stringify(type)}, but fleetbench connects over ssh only and would reach another machine than Ansible does; audit the host through ssh, or leave it out with fleetbench_roles: []`,
    host.name,
  );
  return false;
}

/** The address Ansible hands ssh: ansible_host, else the inventory name. */
function resolveAddress(ctx: ConnectionContext, host: AnsibleHost, def: VarDef | undefined): string | undefined {
  if (def === undefined) {
    const problem = hostProblem(host.name);
    if (problem === undefined) return host.name;
    ctx.issues.add(host.at, `host name ${JSON.stringify(host.name)} ${problem}; set ansible_host to the address to connect to`);
    return undefined;
  }
  const address = ctx.problems.take(def, readText(def), host.name);
  if (address === undefined) return undefined;
  const problem = hostProblem(address);
  if (problem === undefined) return address;
  ctx.problems.add(def, `${def.name} ${JSON.stringify(address)} ${problem}`, host.name);
  return undefined;
}

/** ansible_user, else --user (as `ansible -u`); null when neither names one (ssh_config or the local user decide). */
function resolveUser(ctx: ConnectionContext, host: AnsibleHost, def: VarDef | undefined): string | null | undefined {
  if (def === undefined) return ctx.user ?? null;
  const user = ctx.problems.take(def, readText(def), host.name);
  if (user === undefined) return undefined;
  const problem = userProblem(user);
  if (problem === undefined) return user;
  ctx.problems.add(def, `${def.name} ${JSON.stringify(user)} ${problem}`, host.name);
  return undefined;
}

function resolveKeyFile(ctx: ConnectionContext, host: AnsibleHost, def: VarDef): string | undefined {
  const raw = ctx.problems.take(def, readText(def), host.name);
  if (raw === undefined) return undefined;
  const resolved = resolveIdentityPath(raw, ctx.identity);
  if ('path' in resolved) return resolved.path;
  ctx.problems.add(def, `${def.name} ${JSON.stringify(raw)} ${resolved.problem}`, host.name);
  return undefined;
}
