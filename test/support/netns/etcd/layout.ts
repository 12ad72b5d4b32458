import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import type { Role, Status } from '../../../../src/model.js';
import { PACKAGE_ROOT } from '../../../../src/package-root.js';

// An etcd layout (fixtures/e2e/*.yaml): one cluster of test hosts set up the way a real tool sets
// up etcd (kubeadm static pods, kubespray's systemd unit and env file, a config file...), and the
// verdict fleetbench must reach on each of its hosts. Data, read and checked here; turned into
// host specs by layout-hosts.ts.

// Found from the package root, so that the benchmark build (dist-bench/) reads the same files.
const LAYOUT_DIR = join(PACKAGE_ROOT, 'fixtures', 'e2e');
const TEMPLATE_DIR = join(LAYOUT_DIR, 'templates');

export interface CertificateSpec {
  /** Where the certificate goes; for a leaf, `key` is where its private key goes. */
  path: string;
  /** This is the certificate of that authority itself (a CA file). */
  authority?: string;
  /** A leaf certificate signed by that authority. */
  signedBy?: string;
  /** server and peer: the host's address, 127.0.0.1, localhost and its name in the SAN; client: client auth only. */
  profile?: 'server' | 'peer' | 'client';
  key?: string;
  /** Default: the host's name. */
  commonName?: string;
  owner?: string;
}

export type LayoutFile =
  | { path: string; text: string; mode?: number; owner?: string }
  | { path: string; directory: true; mode?: number; owner?: string }
  | { path: string; symlink: string }
  | { path: string; program: 'pause'; mode?: number };

export interface LayoutService {
  name: string;
  /** Started as the kubelet would start this static pod's container. */
  staticPod?: string;
  /** Started as systemd would start this unit. */
  systemdUnit?: string;
}

export interface DriftEdit {
  path: string;
  replace: string;
  with: string;
}

export interface Layout {
  /** The layout file, relative to the repository, for messages. */
  file: string;
  description: string;
  cluster: string;
  hosts: string[];
  roles: Role[];
  /** join: one member after another, each added with `etcdctl member add` (kubeadm join); together: all at once (kubespray). */
  bootstrap: 'join' | 'together';
  /** The authority that signs etcd's serving certificates: the harness's own etcdctl trusts it. */
  etcdAuthority: string;
  systemAccounts: string[];
  authorities: string[];
  certificates: CertificateSpec[];
  files: LayoutFile[];
  /** In start order; `etcd` is required and starts first. */
  services: LayoutService[];
  /** Edits made to files after the services started, so that what runs and what is on disk disagree. */
  drift: DriftEdit[];
  expected: Record<string, Status>;
}

const STATUSES: Status[] = ['PASS', 'FAIL', 'WARN', 'NOT_APPLICABLE', 'ERROR'];
const ROLES: Role[] = ['etcd', 'control-plane', 'worker'];

type Fields = Record<string, unknown>;

function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

function object(value: unknown, where: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'must be a mapping');
  return value as Fields;
}

function onlyKeys(fields: Fields, allowed: string[], where: string): void {
  const unknown = Object.keys(fields).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) fail(where, `unknown key ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
}

function text(fields: Fields, key: string, where: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || value === '') fail(`${where}.${key}`, 'must be a non-empty string');
  return value;
}

function optionalText(fields: Fields, key: string, where: string): string | undefined {
  return fields[key] === undefined ? undefined : text(fields, key, where);
}

function list(fields: Fields, key: string, where: string): unknown[] {
  const value = fields[key] ?? [];
  if (!Array.isArray(value)) fail(`${where}.${key}`, 'must be a list');
  return value;
}

function textList(fields: Fields, key: string, where: string): string[] {
  return list(fields, key, where).map((item, i) => {
    if (typeof item !== 'string' || item === '') fail(`${where}.${key}[${i}]`, 'must be a non-empty string');
    return item;
  });
}

/** Modes are written as quoted octal strings ('0600'): YAML would read a bare 0600 as decimal 600. */
function mode(fields: Fields, where: string): number | undefined {
  const value = fields.mode;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^0[0-7]{3,4}$/.test(value)) fail(`${where}.mode`, "must be a quoted octal string such as '0600'");
  return parseInt(value, 8);
}

function certificate(value: unknown, where: string): CertificateSpec {
  const fields = object(value, where);
  onlyKeys(fields, ['path', 'authority', 'signedBy', 'profile', 'key', 'commonName', 'owner'], where);
  const spec: CertificateSpec = { path: text(fields, 'path', where) };
  const authority = optionalText(fields, 'authority', where);
  const signedBy = optionalText(fields, 'signedBy', where);
  if ((authority === undefined) === (signedBy === undefined)) fail(where, 'give either authority (a CA certificate) or signedBy (a leaf)');
  if (authority) spec.authority = authority;
  if (signedBy) {
    spec.signedBy = signedBy;
    const profile = text(fields, 'profile', where);
    if (profile !== 'server' && profile !== 'peer' && profile !== 'client') fail(`${where}.profile`, 'must be server, peer or client');
    spec.profile = profile;
    spec.key = text(fields, 'key', where);
  }
  const commonName = optionalText(fields, 'commonName', where);
  if (commonName) spec.commonName = commonName;
  const owner = optionalText(fields, 'owner', where);
  if (owner) spec.owner = owner;
  return spec;
}

async function layoutFile(value: unknown, where: string): Promise<LayoutFile> {
  const fields = object(value, where);
  onlyKeys(fields, ['path', 'template', 'content', 'directory', 'symlink', 'program', 'mode', 'owner'], where);
  const path = text(fields, 'path', where);
  const fileMode = mode(fields, where);
  const owner = optionalText(fields, 'owner', where);
  const attributes = { ...(fileMode === undefined ? {} : { mode: fileMode }), ...(owner ? { owner } : {}) };
  const kinds = ['template', 'content', 'directory', 'symlink', 'program'].filter((key) => fields[key] !== undefined);
  if (kinds.length !== 1) fail(where, 'give exactly one of template, content, directory, symlink, program');
  if (fields.directory !== undefined) {
    if (fields.directory !== true) fail(`${where}.directory`, 'must be true');
    return { path, directory: true, ...attributes };
  }
  if (fields.symlink !== undefined) return { path, symlink: text(fields, 'symlink', where) };
  if (fields.program !== undefined) {
    if (fields.program !== 'pause') fail(`${where}.program`, 'the only program is pause (a process that sleeps forever)');
    return { path, program: 'pause', ...(fileMode === undefined ? {} : { mode: fileMode }) };
  }
  if (fields.content !== undefined) return { path, text: text(fields, 'content', where), ...attributes };
  const template = text(fields, 'template', where);
  try {
    return { path, text: await readFile(join(TEMPLATE_DIR, template), 'utf8'), ...attributes };
  } catch {
    fail(`${where}.template`, `no template ${template} in ${relative(process.cwd(), TEMPLATE_DIR)}`);
  }
}

function service(value: unknown, where: string): LayoutService {
  const fields = object(value, where);
  onlyKeys(fields, ['name', 'staticPod', 'systemdUnit'], where);
  const staticPod = optionalText(fields, 'staticPod', where);
  const systemdUnit = optionalText(fields, 'systemdUnit', where);
  if ((staticPod === undefined) === (systemdUnit === undefined)) fail(where, 'give either staticPod (a manifest path) or systemdUnit (a unit file path)');
  return { name: text(fields, 'name', where), ...(staticPod ? { staticPod } : {}), ...(systemdUnit ? { systemdUnit } : {}) };
}

function drift(value: unknown, where: string): DriftEdit {
  const fields = object(value, where);
  onlyKeys(fields, ['path', 'replace', 'with'], where);
  return { path: text(fields, 'path', where), replace: text(fields, 'replace', where), with: text(fields, 'with', where) };
}

async function parseLayout(source: string, file: string): Promise<Layout> {
  const fields = object(parse(source), file);
  onlyKeys(
    fields,
    [
      'description',
      'cluster',
      'hosts',
      'roles',
      'bootstrap',
      'etcdAuthority',
      'systemAccounts',
      'authorities',
      'certificates',
      'files',
      'services',
      'drift',
      'expected',
    ],
    file,
  );
  const roles = textList(fields, 'roles', file);
  for (const role of roles) if (!ROLES.includes(role as Role)) fail(`${file}.roles`, `${role} is not one of ${ROLES.join(', ')}`);
  const bootstrap = text(fields, 'bootstrap', file);
  if (bootstrap !== 'join' && bootstrap !== 'together') fail(`${file}.bootstrap`, 'must be join or together');
  const authorities = textList(fields, 'authorities', file);
  const certificates = list(fields, 'certificates', file).map((c, i) => certificate(c, `${file}.certificates[${i}]`));
  for (const cert of certificates) {
    const named = cert.authority ?? cert.signedBy!;
    if (!authorities.includes(named)) fail(`${file}.certificates`, `${cert.path} names authority ${named}, which authorities does not list`);
  }
  const etcdAuthority = text(fields, 'etcdAuthority', file);
  if (!authorities.includes(etcdAuthority)) fail(`${file}.etcdAuthority`, `${etcdAuthority} is not in authorities`);
  const services = list(fields, 'services', file).map((s, i) => service(s, `${file}.services[${i}]`));
  if (services[0]?.name !== 'etcd') fail(`${file}.services`, 'the first service must be etcd (the cluster is bootstrapped before anything else starts)');
  const expected = object(fields.expected, `${file}.expected`);
  for (const [rule, status] of Object.entries(expected)) {
    if (!STATUSES.includes(status as Status)) fail(`${file}.expected.${rule}`, `${String(status)} is not one of ${STATUSES.join(', ')}`);
  }
  const files: LayoutFile[] = [];
  for (const [i, f] of list(fields, 'files', file).entries()) files.push(await layoutFile(f, `${file}.files[${i}]`));
  return {
    file,
    description: text(fields, 'description', file),
    cluster: text(fields, 'cluster', file),
    hosts: textList(fields, 'hosts', file),
    roles: roles as Role[],
    bootstrap,
    etcdAuthority,
    systemAccounts: textList(fields, 'systemAccounts', file),
    authorities,
    certificates,
    files,
    services,
    drift: list(fields, 'drift', file).map((d, i) => drift(d, `${file}.drift[${i}]`)),
    expected: expected as Record<string, Status>,
  };
}

/** Every layout in fixtures/e2e, in file name order. */
export async function loadLayouts(): Promise<Layout[]> {
  const names = (await readdir(LAYOUT_DIR)).filter((name) => name.endsWith('.yaml')).sort();
  const layouts: Layout[] = [];
  for (const name of names) {
    layouts.push(await parseLayout(await readFile(join(LAYOUT_DIR, name), 'utf8'), relative(process.cwd(), join(LAYOUT_DIR, name))));
  }
  return layouts;
}
