// Connection settings that `defaults`, a cluster's `defaults` and a host may all set, and how
// the three levels combine.

import { isScalar } from 'yaml';
import { ROLES } from '../model.js';
import type { Role } from '../model.js';
import { resolveIdentityPath } from './identity-path.js';
import { parseJumpChain } from './jump-spec.js';
import type { JumpHop } from './jump-spec.js';
import type { IdentityPathContext } from './identity-path.js';
import { isPort, userProblem } from './value-checks.js';
import { describe, readList, readText } from '../yaml/yaml-read.js';
import type { Field, ValueNode, YamlReader } from '../yaml/yaml-read.js';

export const SETTING_KEYS = ['user', 'port', 'become', 'identityFile', 'identityFiles', 'roles', 'jump'] as const;

export interface Settings {
  user?: string;
  port?: number;
  become?: boolean;
  identityFiles?: string[];
  roles?: Role[];
  /** Jump hosts to go through, as ssh's ProxyJump; 'none' undoes an inherited one. */
  jump?: JumpHop[] | 'none';
}

export interface SettingsReader extends YamlReader {
  identity: IdentityPathContext;
}

const ROLES_EXAMPLE = '[etcd, control-plane]';

/**
 * Combines levels from the most general to the most specific; a setting a level leaves out
 * comes from the level before. `identityFiles` is one setting: a host's own key list
 * replaces the inherited one instead of extending it, because ssh servers stop after
 * MaxAuthTries keys, so a host that needs its own key must not also be offered the fleet's.
 */
export function cascade(...levels: Settings[]): Settings {
  const result: Settings = {};
  for (const level of levels) {
    if (level.user !== undefined) result.user = level.user;
    if (level.port !== undefined) result.port = level.port;
    if (level.become !== undefined) result.become = level.become;
    if (level.identityFiles !== undefined) result.identityFiles = level.identityFiles;
    if (level.roles !== undefined) result.roles = level.roles;
    if (level.jump !== undefined) result.jump = level.jump;
  }
  return result;
}

/**
 * Reads the setting keys present in `fields`. An invalid value is reported and read as
 * undefined, which `cascade` skips, so it does not hide the inherited value from later checks.
 */
export function readSettings(r: SettingsReader, fields: ReadonlyMap<string, Field>): Settings {
  const settings: Settings = {};
  const user = fields.get('user');
  if (user) settings.user = readUser(r, user);
  const port = fields.get('port');
  if (port) settings.port = readPort(r, port);
  const become = fields.get('become');
  if (become) settings.become = readBecome(r, become);
  const roles = fields.get('roles');
  if (roles) settings.roles = readRoles(r, roles);
  const jump = fields.get('jump');
  if (jump) settings.jump = readJump(r, jump);

  const identityFile = fields.get('identityFile');
  const identityFiles = fields.get('identityFiles');
  if (identityFile && identityFiles) {
    r.issues.add(identityFiles.key, 'set either identityFile or identityFiles, not both');
  } else if (identityFile) {
    const path = readIdentityPath(r, identityFile.value, identityFile);
    if (path !== undefined) settings.identityFiles = [path];
  } else if (identityFiles) {
    settings.identityFiles = readIdentityPaths(r, identityFiles);
  }
  return settings;
}

function readUser(r: SettingsReader, field: Field): string | undefined {
  const user = readText(r, field);
  if (user === undefined) return undefined;
  const problem = userProblem(user);
  if (problem === undefined) return user;
  r.issues.add(field.at, `user ${JSON.stringify(user)} ${problem}`);
  return undefined;
}

function readJump(r: SettingsReader, field: Field): JumpHop[] | 'none' | undefined {
  const spec = readText(r, field);
  if (spec === undefined) return undefined;
  if (spec.trim().toLowerCase() === 'none') return 'none';
  const chain = parseJumpChain(spec);
  if ('hops' in chain) return chain.hops;
  r.issues.add(field.at, `${chain.problem}; write jump as [user@]host[:port], several separated by commas, as ssh's ProxyJump`);
  return undefined;
}

function readPort(r: SettingsReader, field: Field): number | undefined {
  if (isScalar(field.value) && typeof field.value.value === 'number' && isPort(field.value.value)) {
    return field.value.value;
  }
  r.issues.add(field.at, `port must be a whole number from 1 to 65535, got ${describe(field.value)}`);
  return undefined;
}

function readBecome(r: SettingsReader, field: Field): boolean | undefined {
  if (isScalar(field.value) && typeof field.value.value === 'boolean') return field.value.value;
  r.issues.add(field.at, `become must be true or false, got ${describe(field.value)}`);
  return undefined;
}

function readRoles(r: SettingsReader, field: Field): Role[] | undefined {
  const items = readList(r, field, ROLES_EXAMPLE);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    r.issues.add(field.at, `roles must list at least one of: ${ROLES.join(', ')}`);
    return undefined;
  }
  const roles: Role[] = [];
  let valid = true;
  for (const item of items) {
    const role = isScalar(item) ? ROLES.find((known) => known === item.value) : undefined;
    if (role === undefined) {
      const got =
        isScalar(item) && typeof item.value === 'string' ? `unknown role ${JSON.stringify(item.value)}` : `a role must be a name, got ${describe(item)}`;
      r.issues.add(item, `${got}; roles are: ${ROLES.join(', ')}`, field.at);
      valid = false;
    } else if (roles.includes(role)) {
      r.issues.add(item, `role ${JSON.stringify(role)} is listed twice`, field.at);
      valid = false;
    } else {
      roles.push(role);
    }
  }
  return valid ? roles : undefined;
}

// An empty list is allowed and means "no key files": authenticate with the agent only.
function readIdentityPaths(r: SettingsReader, field: Field): string[] | undefined {
  const items = readList(r, field, '[~/.ssh/id_ed25519, ./keys/dc1]');
  if (items === undefined) return undefined;
  const paths = items.map((item) => readIdentityPath(r, item, field));
  return paths.every((path) => path !== undefined) ? paths : undefined;
}

function readIdentityPath(r: SettingsReader, node: ValueNode | null, field: Field): string | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') {
    r.issues.add(node, `${field.name} must name a file as text, got ${describe(node)}`, field.at);
    return undefined;
  }
  const result = resolveIdentityPath(node.value, r.identity);
  if ('path' in result) return result.path;
  r.issues.add(node, `${field.name} ${JSON.stringify(node.value)} ${result.problem}`);
  return undefined;
}
