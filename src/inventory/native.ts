// The native inventory format: `defaults`, then `clusters` of `hosts`. See
// inventory/example.yaml for a commented example.

import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { isMap, isScalar } from 'yaml';
import type { Inventory, Role, Target } from '../model.js';
import { expandHostPattern, HostPatternError } from './host-pattern.js';
import type { InventoryOptions } from './inventory-options.js';
import { parseInventoryYaml } from './inventory-yaml.js';
import type { InventoryYaml } from './inventory-yaml.js';
import { repeatedNames } from './same-name.js';
import type { SshConfig } from './ssh-config-file.js';
import type { GivenOptions, SshLookupContext } from './ssh-config.js';
import { localUserName } from './local-user.js';
import { lookupContext, resolveRoute } from './ssh-route.js';
import { START_OF_FILE } from '../yaml/issue-list.js';
import type { Located } from '../yaml/issue-list.js';
import { cascade, readSettings, SETTING_KEYS } from './settings.js';
import type { Settings, SettingsReader } from './settings.js';
import { clusterNameProblem, hostProblem } from './value-checks.js';
import { describe, follow, isEmpty, quoteHint, readList, readMapping, readPairs, readText } from '../yaml/yaml-read.js';
import type { Field, ValueNode } from '../yaml/yaml-read.js';

const TOP_KEYS = ['defaults', 'clusters'];
const CLUSTER_KEYS = ['defaults', 'hosts'];
const HOST_KEYS = ['name', 'address', ...SETTING_KEYS];

const DEFAULT_ROLES: readonly Role[] = ['etcd', 'control-plane'];

interface Reader extends SettingsReader {
  /** The user for hosts whose inventory sets none, when it could be found out. */
  localUser: string | undefined;
  sshConfig: SshConfig | undefined;
  lookup: SshLookupContext;
  /** become for hosts whose inventory does not set it. */
  become: boolean;
  /** The login user for hosts whose inventory names none (--user). */
  user: string | undefined;
  warnings: Set<string>;
}

/** A target and where it was written, for messages about it. */
interface PlacedTarget {
  target: Target;
  nameAt: Located;
}

/** A name or address as written, before expansion. */
interface Spelled {
  pattern: string;
  at: Located;
}

/**
 * Parses a native inventory. `file` is used in messages and as the base of relative
 * identity file paths. Throws `InventoryError` listing every problem found.
 */
export function parseNativeInventory(text: string, file: string, opts: InventoryOptions = {}): Inventory {
  return readNativeInventory(parseInventoryYaml(text, file), opts);
}

/** Reads a native inventory from its parsed document. Throws `InventoryError` listing every problem found. */
export function readNativeInventory(parsed: InventoryYaml, opts: InventoryOptions = {}): Inventory {
  const r: Reader = {
    doc: parsed.doc,
    issues: parsed.issues,
    identity: { homeDir: opts.homeDir ?? homedir(), relativeTo: dirname(parsed.file) },
    localUser: opts.localUser ?? localUserName(),
    sshConfig: opts.sshConfig,
    lookup: lookupContext(opts),
    become: opts.become ?? false,
    user: opts.user,
    warnings: new Set(),
  };
  const placed = readInventory(r, follow(r, parsed.doc.contents));
  reportDuplicates(r, placed);
  r.issues.throwIfAny();
  const inventory: Inventory = {
    source: parsed.file,
    targets: placed.map(({ target }) => target),
    writtenAt: Object.fromEntries(placed.map(({ target, nameAt }) => [target.name, r.issues.place(nameAt)])),
  };
  if (r.warnings.size > 0) inventory.warnings = [...r.warnings];
  return inventory;
}

function readInventory(r: Reader, root: ValueNode | null): PlacedTarget[] {
  if (isEmpty(root)) {
    r.issues.add(root, 'the inventory is empty; list the hosts under clusters: <cluster name>: hosts:', START_OF_FILE);
    return [];
  }
  const top = readMapping(r, root, START_OF_FILE, 'the inventory', TOP_KEYS);
  if (top === undefined) return [];
  const defaults = readDefaults(r, top.get('defaults'), 'defaults');
  const clusters = top.get('clusters');
  if (clusters === undefined) {
    r.issues.add(root, 'missing clusters: list the hosts under clusters: <cluster name>: hosts:', START_OF_FILE);
    return [];
  }
  if (isEmpty(clusters.value) || (isMap(clusters.value) && clusters.value.items.length === 0)) {
    r.issues.add(clusters.key, 'clusters is empty; define at least one cluster with its hosts');
    return [];
  }
  if (!isMap(clusters.value)) {
    r.issues.add(clusters.at, `clusters must be a mapping of cluster names to clusters, got ${describe(clusters.value)}`);
    return [];
  }
  return readPairs(r, clusters.value, 'clusters').flatMap((cluster) => readCluster(r, cluster, defaults));
}

function readDefaults(r: Reader, field: Field | undefined, what: string): Settings {
  if (field === undefined) return {};
  const fields = readMapping(r, field.value, field.at, what, SETTING_KEYS);
  return fields === undefined ? {} : readSettings(r, fields);
}

function readCluster(r: Reader, field: Field, inherited: Settings): PlacedTarget[] {
  const cluster = field.name;
  const quoted = JSON.stringify(cluster);
  const nameProblem = clusterNameProblem(cluster);
  if (nameProblem !== undefined) r.issues.add(field.key, `cluster name ${quoted} ${nameProblem}`);
  const fields = isEmpty(field.value) ? new Map<string, Field>() : readMapping(r, field.value, field.at, `cluster ${quoted}`, CLUSTER_KEYS);
  if (fields === undefined) return [];
  const settings = cascade(inherited, readDefaults(r, fields.get('defaults'), `the defaults of cluster ${quoted}`));
  const hosts = fields.get('hosts');
  const items = hosts === undefined || isEmpty(hosts.value) ? [] : readList(r, hosts, '[cp1.example, cp2.example]');
  if (items === undefined) return [];
  if (items.length === 0) {
    r.issues.add(hosts?.key ?? field.key, `cluster ${quoted} has no hosts; list them under hosts:`);
    return [];
  }
  return items.flatMap((item) => readHost(r, item, hosts?.at ?? field.key, cluster, settings));
}

function readHost(r: Reader, node: ValueNode | null, listAt: Located, cluster: string, inherited: Settings): PlacedTarget[] {
  if (isScalar(node) && typeof node.value === 'string') {
    return placeHosts(r, cluster, inherited, node, { pattern: node.value, at: node });
  }
  if (!isMap(node)) {
    r.issues.add(node, `a host must be a name or a mapping with name:, got ${describe(node)}${quoteHint(node)}`, listAt);
    return [];
  }
  const fields = readMapping(r, node, node, 'a host', HOST_KEYS);
  if (fields === undefined) return [];
  const settings = cascade(inherited, readSettings(r, fields));
  const nameField = fields.get('name');
  if (nameField === undefined) {
    r.issues.add(node, 'this host has no name:; add one, e.g. name: cp1.example');
    return [];
  }
  const name = readSpelled(r, nameField);
  const addressField = fields.get('address');
  const address = addressField === undefined ? undefined : readSpelled(r, addressField);
  if (name === undefined || (addressField !== undefined && address === undefined)) return [];
  return placeHosts(r, cluster, settings, node, name, address);
}

function readSpelled(r: Reader, field: Field): Spelled | undefined {
  const pattern = readText(r, field);
  return pattern === undefined ? undefined : { pattern, at: field.at };
}

/** Expands one host entry into targets; a name and address with ranges are paired in order. */
function placeHosts(r: Reader, cluster: string, settings: Settings, entry: Located, name: Spelled, address?: Spelled): PlacedTarget[] {
  const names = expandChecked(r, name, 'name');
  const addresses = address === undefined ? undefined : expandChecked(r, address, 'address');
  if (names === undefined || (address !== undefined && addresses === undefined)) return [];
  if (address !== undefined && addresses !== undefined && addresses.length !== names.length) {
    r.issues.add(address.at, lockstepMessage(name, names.length, address, addresses.length));
    return [];
  }
  return names.flatMap((hostName, index) => {
    const target = placeOne(r, cluster, settings, entry, hostName, addresses?.[index]);
    return target ? [{ nameAt: name.at, target }] : [];
  });
}

/**
 * The target, reached as ssh would reach it if the inventory's settings were on its command line
 * (and --user where the inventory names no user): above ssh_config, which fills in the rest.
 */
function placeOne(r: Reader, cluster: string, settings: Settings, entry: Located, hostName: string, address: string | undefined): Target | undefined {
  const given: GivenOptions = {};
  const user = settings.user ?? r.user;
  if (user !== undefined) given.user = user;
  if (settings.port !== undefined) given.port = settings.port;
  if (settings.identityFiles !== undefined) given.identityFiles = settings.identityFiles;
  if (address !== undefined) given.hostName = address;
  if (settings.jump !== undefined) given.jump = settings.jump;
  const route = resolveRoute({ config: r.sshConfig, lookup: r.lookup, localUser: r.localUser, cluster, hopsUseHostKeys: true }, hostName, given, {
    problem: (message) => r.issues.add(entry, message),
    note: (message) => r.warnings.add(message),
    noUser: (problem) => r.issues.add(entry, `no user is set for this host or its defaults, and ${problem}; set user: under defaults`),
  });
  if (route === undefined) return undefined;
  return { name: hostName, cluster, ...route, roles: [...(settings.roles ?? DEFAULT_ROLES)], become: settings.become ?? r.become };
}

function lockstepMessage(name: Spelled, nameCount: number, address: Spelled, addressCount: number): string {
  const quotedName = JSON.stringify(name.pattern);
  const quotedAddress = JSON.stringify(address.pattern);
  // Several hosts sharing one address and port would be the same machine scanned twice.
  if (addressCount === 1) {
    return `address ${quotedAddress} is a single address but name ${quotedName} expands to ${nameCount} hosts; give the address matching ranges (e.g. 10.0.1.[11:13]) or list the hosts separately`;
  }
  return `address ${quotedAddress} expands to ${addressCount} hosts but name ${quotedName} expands to ${nameCount}; ranges in name and address must give the same number of hosts`;
}

/** Expands a name or address and checks every result; reports the first bad one. */
function expandChecked(r: Reader, spelled: Spelled, label: 'name' | 'address'): string[] | undefined {
  const quoted = JSON.stringify(spelled.pattern);
  let values: string[];
  try {
    values = expandHostPattern(spelled.pattern);
  } catch (error) {
    if (!(error instanceof HostPatternError)) throw error;
    const hint = spelled.pattern.startsWith('[') ? '; write IPv6 addresses without brackets' : '';
    r.issues.add(spelled.at, `${label} ${quoted}: ${error.message}${hint}`);
    return undefined;
  }
  for (const value of values) {
    const problem = hostProblem(value);
    if (problem !== undefined) {
      const origin = value === spelled.pattern ? '' : ` (expanded from ${quoted})`;
      r.issues.add(spelled.at, `${label} ${JSON.stringify(value)}${origin} ${problem}`);
      return undefined;
    }
  }
  return values;
}

function reportDuplicates(r: Reader, placed: PlacedTarget[]): void {
  for (const [current, first] of repeatedNames(placed, (p) => p.target.name)) {
    r.issues.add(
      current.nameAt,
      `duplicate host name ${JSON.stringify(current.target.name)}: already defined at ${r.issues.where(first.nameAt)} in cluster ${JSON.stringify(first.target.cluster)}; host names must be unique across the inventory`,
    );
  }
}
