// How to reach one host, from the Ansible connection variables it sees. Where Ansible knows a
// setting by two names, the `ansible_ssh_` spelling wins when both are set, as in Ansible's
// ssh connection plugin (the later name in its list of variables wins).

import { resolveIdentityPath } from '../identity-path.js';
import type { IdentityPathContext } from '../identity-path.js';
import { localUserFallback } from '../local-user.js';
import type { AnsibleHost, VarDef, Vars } from './tree.js';
import { pick, readAnsibleBoolean, readPortNumber, readText } from './values.js';
import type { VarProblems } from './values.js';
import { hostProblem, userProblem } from '../value-checks.js';
import type { IssueList } from '../../yaml/issue-list.js';
import type { JumpHop } from '../jump-spec.js';
import type { SshConfig } from '../ssh-config.js';
import { sshConfigSettings } from '../ssh-config-settings.js';
import type { SshConfigSettings } from '../ssh-config-settings.js';

const ADDRESS_VARS = ['ansible_ssh_host', 'ansible_host'];
const PORT_VARS = ['ansible_ssh_port', 'ansible_port'];
const USER_VARS = ['ansible_ssh_user', 'ansible_user'];
const KEY_FILE_VARS = ['ansible_ssh_private_key_file', 'ansible_private_key_file'];
const BECOME_VARS = ['ansible_become'];
const CONNECTION_VARS = ['ansible_connection'];

// Connection plugins that are ssh under another name; any other (local, docker, winrm...)
// would mean fleetbench reaches a different machine than Ansible does.
const SSH_CONNECTIONS = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh']);

const DEFAULT_PORT = 22;

export interface Connection {
  address: string;
  port: number;
  user: string;
  identityFiles: string[];
  become: boolean;
  /** From ssh_config, for the reader to weigh against the inventory's own jump hosts. */
  configJump?: JumpHop[];
  knownHostsFiles?: string[];
  acceptNewHostKey?: boolean;
}

export interface ConnectionContext {
  issues: IssueList;
  problems: VarProblems;
  identity: IdentityPathContext;
  localUser: string | undefined;
  /** become for hosts that see no ansible_become. */
  become: boolean;
  /** The login user for hosts that see no ansible_user (--user, as `ansible -u`). */
  user: string | undefined;
  /** Ansible's ssh reads it too: it fills in what the host's variables leave out. */
  sshConfig: SshConfig | undefined;
  warnings: Set<string>;
}

/** The host's connection settings, or undefined when one of them is wrong (reported). */
export function resolveConnection(ctx: ConnectionContext, host: AnsibleHost, vars: Vars): Connection | undefined {
  const connectionOk = checkConnectionType(ctx, host, pick(vars, CONNECTION_VARS));
  const sshAddress = resolveAddress(ctx, host, pick(vars, ADDRESS_VARS));
  // Ansible hands ssh the address; ssh looks it up in its config, beneath its command line.
  const config = sshAddress === undefined ? {} : configFor(ctx, host, sshAddress);
  const address = config.hostName ?? sshAddress;
  const portDef = pick(vars, PORT_VARS);
  const port = portDef === undefined ? (config.port ?? DEFAULT_PORT) : ctx.problems.take(portDef, readPortNumber(portDef), host.name);
  const user = resolveUser(ctx, host, pick(vars, USER_VARS), config.user);
  const keyDef = pick(vars, KEY_FILE_VARS);
  const identityFiles = keyDef === undefined ? (config.identityFiles ?? []) : resolveKeyFile(ctx, host, keyDef);
  const becomeDef = pick(vars, BECOME_VARS);
  const become = becomeDef === undefined ? ctx.become : ctx.problems.take(becomeDef, readAnsibleBoolean(becomeDef), host.name);
  if (!connectionOk || address === undefined || port === undefined || user === undefined || identityFiles === undefined || become === undefined) {
    return undefined;
  }
  const connection: Connection = { address, port, user, identityFiles, become };
  if (config.jump !== undefined && config.jump !== 'none') connection.configJump = config.jump;
  if (config.knownHostsFiles) connection.knownHostsFiles = config.knownHostsFiles;
  if (config.acceptNewHostKey) connection.acceptNewHostKey = true;
  return connection;
}

function configFor(ctx: ConnectionContext, host: AnsibleHost, alias: string): SshConfigSettings {
  if (!ctx.sshConfig) return {};
  return sshConfigSettings(
    ctx.sshConfig,
    alias,
    { home: ctx.identity.homeDir, localUser: ctx.localUser ?? '' },
    {
      issue: (message) => ctx.issues.add(host.at, message),
      warn: (message) => ctx.warnings.add(message),
    },
  );
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

function resolveAddress(ctx: ConnectionContext, host: AnsibleHost, def: VarDef | undefined): string | undefined {
  if (def === undefined) {
    // Without ansible_host, Ansible connects to the inventory name.
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

function resolveUser(ctx: ConnectionContext, host: AnsibleHost, def: VarDef | undefined, configUser: string | undefined): string | undefined {
  if (def === undefined) {
    // ansible -u is passed to ssh on its command line, above ssh_config's User.
    if (ctx.user !== undefined) return ctx.user;
    if (configUser !== undefined) return configUser;
    const fallback = localUserFallback(ctx.localUser);
    if ('user' in fallback) return fallback.user;
    ctx.issues.add(
      host.at,
      `no ansible_user is set for host ${JSON.stringify(host.name)} or its groups, and ${fallback.problem}; set ansible_user under all: vars:`,
    );
    return undefined;
  }
  const user = ctx.problems.take(def, readText(def), host.name);
  if (user === undefined) return undefined;
  const problem = userProblem(user);
  if (problem === undefined) return user;
  ctx.problems.add(def, `${def.name} ${JSON.stringify(user)} ${problem}`, host.name);
  return undefined;
}

function resolveKeyFile(ctx: ConnectionContext, host: AnsibleHost, def: VarDef): string[] | undefined {
  const raw = ctx.problems.take(def, readText(def), host.name);
  if (raw === undefined) return undefined;
  const resolved = resolveIdentityPath(raw, ctx.identity);
  if ('path' in resolved) return [resolved.path];
  ctx.problems.add(def, `${def.name} ${JSON.stringify(raw)} ${resolved.problem}`, host.name);
  return undefined;
}
