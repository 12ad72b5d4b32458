import { afterEach, describe, expect, it, vi } from 'vitest';
import { InventoryError } from '../../src/inventory/errors.js';
import { parseNativeInventory } from '../../src/inventory/native.js';
import type { Target } from '../../src/model.js';

const FILE = '/srv/fleet/inventory.yaml';
const OPTS = { homeDir: '/home/tester', localUser: 'tester' };

function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function parse(text: string): Target[] {
  return parseNativeInventory(text, FILE, OPTS).targets;
}

/** The issues as `line:column: message`, for exact comparison. */
function issues(text: string, opts: { homeDir?: string; localUser?: string } = OPTS): string[] {
  try {
    parseNativeInventory(text, FILE, opts);
  } catch (error) {
    if (!(error instanceof InventoryError)) throw error;
    for (const issue of error.issues) expect(issue.file).toBe(FILE);
    return error.issues.map((issue) => `${issue.line}:${issue.column}: ${issue.message}`);
  }
  throw new Error('expected an InventoryError');
}

function summary(targets: Target[]): string[] {
  return targets.map(
    (t) => `${t.cluster} ${t.name} ${t.user}@${t.address}:${t.port} [${t.roles.join(',')}] become=${t.become} keys=${t.identityFiles.join(',')}`,
  );
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('parseNativeInventory: reading hosts', () => {
  it('reads the documented example exactly', () => {
    const inventory = parseNativeInventory(
      yaml(
        'defaults:',
        '  user: audit',
        '  port: 22',
        '  become: true',
        '  identityFile: ~/.ssh/id_ed25519',
        '  roles: [etcd, control-plane]',
        'clusters:',
        '  prod-dc1:',
        '    defaults: { user: ops }',
        '    hosts:',
        '      - name: cp[1:3].dc1.example',
        '        address: 10.0.1.[11:13]',
        '      - name: etcd-a',
        '        address: 10.0.1.21',
        '        port: 2222',
        '        roles: [etcd]',
        '        user: root',
        '        become: false',
        '        identityFile: ./keys/dc1',
        '  lab:',
        '    hosts:',
        '      - lab1.example',
      ),
      FILE,
      OPTS,
    );
    expect(inventory.source).toBe(FILE);
    const fleetKey = ['/home/tester/.ssh/id_ed25519'];
    const both: Target['roles'] = ['etcd', 'control-plane'];
    expect(inventory.targets).toEqual([
      { name: 'cp1.dc1.example', cluster: 'prod-dc1', address: '10.0.1.11', port: 22, user: 'ops', roles: both, become: true, identityFiles: fleetKey },
      { name: 'cp2.dc1.example', cluster: 'prod-dc1', address: '10.0.1.12', port: 22, user: 'ops', roles: both, become: true, identityFiles: fleetKey },
      { name: 'cp3.dc1.example', cluster: 'prod-dc1', address: '10.0.1.13', port: 22, user: 'ops', roles: both, become: true, identityFiles: fleetKey },
      {
        name: 'etcd-a',
        cluster: 'prod-dc1',
        address: '10.0.1.21',
        port: 2222,
        user: 'root',
        roles: ['etcd'],
        become: false,
        identityFiles: ['/srv/fleet/keys/dc1'],
      },
      { name: 'lab1.example', cluster: 'lab', address: 'lab1.example', port: 22, user: 'audit', roles: both, become: true, identityFiles: fleetKey },
    ]);
    expect(inventory.targets[0]).not.toHaveProperty('jump');
  });

  it('uses built-in defaults when nothing is set: local user, port 22, no sudo, etcd + control-plane, no key files', () => {
    expect(parse(yaml('clusters:', '  lab:', '    hosts: [lab1]'))).toEqual([
      {
        name: 'lab1',
        cluster: 'lab',
        address: 'lab1',
        port: 22,
        user: 'tester',
        roles: ['etcd', 'control-plane'],
        become: false,
        identityFiles: [],
      },
    ]);
  });

  it('becomes root with --become where the inventory does not say, and not where it says become: false', () => {
    const text = yaml('clusters:', '  lab:', '    hosts: [lab1, {name: lab2, become: false}, {name: lab3, become: true}]');
    const become = (opts: { become?: boolean }) => parseNativeInventory(text, FILE, { ...OPTS, ...opts }).targets.map((t) => `${t.name}=${t.become}`);
    expect(become({})).toEqual(['lab1=false', 'lab2=false', 'lab3=true']);
    expect(become({ become: true })).toEqual(['lab1=true', 'lab2=false', 'lab3=true']);
  });

  it('takes the local user name from $USER when no option is given', () => {
    vi.stubEnv('USER', 'envuser');
    const [target] = parseNativeInventory(yaml('clusters:', '  lab:', '    hosts: [lab1]'), FILE, { homeDir: '/h' }).targets;
    expect(target?.user).toBe('envuser');
  });

  it('cascades defaults: top level, then cluster, then host, key by key', () => {
    const targets = parse(
      yaml(
        'defaults:',
        '  user: audit',
        '  port: 2200',
        '  become: true',
        '  roles: [etcd]',
        'clusters:',
        '  a:',
        '    defaults:',
        '      port: 2201',
        '      roles: [control-plane, worker]',
        '    hosts:',
        '      - a1',
        '      - name: a2',
        '        become: false',
        '        user: ops',
        '  b:',
        '    hosts:',
        '      - name: b1',
        '        port: 2202',
      ),
    );
    expect(summary(targets)).toEqual([
      'a a1 audit@a1:2201 [control-plane,worker] become=true keys=',
      'a a2 ops@a2:2201 [control-plane,worker] become=false keys=',
      'b b1 audit@b1:2202 [etcd] become=true keys=',
    ]);
  });

  it("resolves identity files against home and the inventory's folder; a more specific list replaces the inherited one", () => {
    const targets = parse(
      yaml(
        'defaults:',
        '  identityFile: ~/.ssh/fleet',
        'clusters:',
        '  a:',
        '    defaults:',
        '      identityFiles: [~/.ssh/fleet, keys/a]',
        '    hosts:',
        '      - a1',
        '      - name: a2',
        '        identityFile: /etc/fleet/a2.key',
        '      - name: a3',
        '        identityFiles: []',
        '  b:',
        '    hosts: [b1]',
      ),
    );
    expect(targets.map((t) => [t.name, t.identityFiles])).toEqual([
      ['a1', ['/home/tester/.ssh/fleet', '/srv/fleet/keys/a']],
      ['a2', ['/etc/fleet/a2.key']],
      ['a3', []],
      ['b1', ['/home/tester/.ssh/fleet']],
    ]);
  });

  it('expands name and address ranges in lockstep, several ranges as a product, in file order', () => {
    const targets = parse(
      yaml(
        'clusters:',
        '  dc:',
        '    hosts:',
        '      - name: r[1:2]-etcd-[a:b]',
        '        address: 10.0.[1:2].[11:12]',
        '      - name: w[01:03:2]',
        '      - name: v6-[1:2]',
        '        address: fd00::[1:2]',
      ),
    );
    expect(targets.map((t) => `${t.name}=${t.address}`)).toEqual([
      'r1-etcd-a=10.0.1.11',
      'r1-etcd-b=10.0.1.12',
      'r2-etcd-a=10.0.2.11',
      'r2-etcd-b=10.0.2.12',
      'w01=w01',
      'w03=w03',
      'v6-1=fd00::1',
      'v6-2=fd00::2',
    ]);
  });

  it('gives each target its own arrays, so changing one does not change another', () => {
    const [first, second] = parse(yaml('defaults:', '  identityFile: /k', 'clusters:', '  a:', '    hosts: ["a[1:2]"]'));
    first?.roles.push('worker');
    first?.identityFiles.push('/other');
    expect(second?.roles).toEqual(['etcd', 'control-plane']);
    expect(second?.identityFiles).toEqual(['/k']);
  });

  it('follows YAML anchors and aliases', () => {
    const targets = parse(
      yaml('clusters:', '  a:', '    defaults: &ops { user: ops, port: 2222 }', '    hosts: [a1]', '  b:', '    defaults: *ops', '    hosts: [b1]'),
    );
    expect(summary(targets)).toEqual(['a a1 ops@a1:2222 [etcd,control-plane] become=false keys=', 'b b1 ops@b1:2222 [etcd,control-plane] become=false keys=']);
  });
});

describe('parseNativeInventory: errors', () => {
  it('collects every problem in one error, each at its node, in file order', () => {
    const text = yaml(
      'defaults:', //                      1
      '  user: 9x', //                     2
      '  port: "22"', //                   3
      '  proxy: bastion', //               4
      'clusters:', //                      5
      '  prod:', //                        6
      '    hosts:', //                     7
      '      - name: cp[3:1]', //          8
      '      - name: "-oProxyCommand=x"', // 9
      '      - name: db1', //              10
      '        jump: -J bastion', //       11
      '        become: yes', //            12
      '        roles: [etcd, master]', //  13
    );
    expect(issues(text)).toEqual([
      '2:9: user "9x" is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-")',
      '3:9: port must be a whole number from 1 to 65535, got the text "22"',
      '4:3: unknown key "proxy" in defaults; allowed keys: user, port, become, identityFile, identityFiles, roles, jump',
      '8:15: name "cp[3:1]": bad range "[3:1]": start 3 is after end 1',
      '9:15: name "-oProxyCommand=x" starts with "-", which ssh would read as an option',
      '11:15: jump host "-J bastion" has host "-J bastion", which starts with "-", which ssh would read as an option; write jump as [user@]host[:port], several separated by commas, as ssh\'s ProxyJump',
      '12:17: become must be true or false, got the text "yes"',
      '13:23: unknown role "master"; roles are: etcd, control-plane, worker',
    ]);
  });

  it('renders the message as file:line:column: message lines', () => {
    try {
      parseNativeInventory(yaml('clusters:', '  a:', '    hosts: [a1]', '    jump: x'), FILE, OPTS);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InventoryError);
      expect((error as InventoryError).message).toBe('/srv/fleet/inventory.yaml:4:5: unknown key "jump" in cluster "a"; allowed keys: defaults, hosts');
    }
  });

  it('reports YAML syntax errors alone, at their position', () => {
    expect(issues(yaml('clusters:', '  a:', '    hosts: [a1', '  b: x'))).toEqual([
      '4:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(issues(yaml('clusters:', '  a: {hosts: [a1]}', '  a: {hosts: [a2]}'))).toEqual(['3:3: invalid YAML: Map keys must be unique']);
    expect(issues(yaml('clusters: {a: {hosts: [a1]}}', '---', 'x: 1'))).toEqual([
      '2:1: the file holds more than one YAML document (a "---" line); an inventory is a single document',
    ]);
  });

  it('reports an empty file, a missing or empty clusters key, and a top level that is not a mapping', () => {
    expect(issues('')).toEqual(['1:1: the inventory is empty; list the hosts under clusters: <cluster name>: hosts:']);
    expect(issues(yaml('# nothing yet', 'defaults:', '  user: ops'))).toEqual(['2:1: missing clusters: list the hosts under clusters: <cluster name>: hosts:']);
    expect(issues(yaml('clusters:'))).toEqual(['1:1: clusters is empty; define at least one cluster with its hosts']);
    expect(issues(yaml('clusters: {}'))).toEqual(['1:1: clusters is empty; define at least one cluster with its hosts']);
    expect(issues(yaml('clusters: [a, b]'))).toEqual(['1:11: clusters must be a mapping of cluster names to clusters, got a list']);
    expect(issues(yaml('- host1'))).toEqual(['1:1: the inventory must be a mapping (key: value lines), got a list']);
  });

  it('reports clusters without hosts and bad cluster names', () => {
    expect(
      issues(
        yaml(
          'clusters:',
          '  a:',
          '  b:',
          '    defaults: { user: ops }',
          '  c:',
          '    hosts: []',
          '  "prod dc":',
          '    hosts: [p1]',
          '  2024:',
          '    hosts: [q1]',
          '  d:',
          '    hosts: { name: d1 }',
        ),
      ),
    ).toEqual([
      '2:3: cluster "a" has no hosts; list them under hosts:',
      '3:3: cluster "b" has no hosts; list them under hosts:',
      '6:5: cluster "c" has no hosts; list them under hosts:',
      '7:3: cluster name "prod dc" is not a valid cluster name (it must start with a letter or digit and contain only letters, digits, "_", "." and "-")',
      '9:3: keys in clusters must be text, got the number 2024; quote it if it is meant as a name',
      '12:12: hosts must be a list such as [cp1.example, cp2.example], got a mapping',
    ]);
  });

  it('reports malformed host entries', () => {
    expect(
      issues(
        yaml(
          'clusters:',
          '  a:',
          '    hosts:',
          '      - 12',
          '      -',
          '      - address: 10.0.0.1',
          '      - name: [a1]',
          '      - name: a2',
          '        address: 10',
          '      - name: ""',
          '      - name: "cp1;reboot"',
          '      - name: ok1',
          '        address: 10.0.0.256',
          '      - "[fd00::1]"',
          '      - name: n[1:200000]',
          '      - [a:c]',
        ),
      ),
    ).toEqual([
      '4:9: a host must be a name or a mapping with name:, got the number 12',
      '5:8: a host must be a name or a mapping with name:, got nothing',
      '6:9: this host has no name:; add one, e.g. name: cp1.example',
      '7:15: name must be text, got a list (quote a value that starts with "[", e.g. "[a:c].example")',
      '9:18: address must be text, got the number 10',
      '10:15: name "" is empty',
      '11:15: name "cp1;reboot" contains ";", which is not allowed in a host name (letters, digits, ".", "-" and "_" are)',
      '13:18: address "10.0.0.256" looks like an IPv4 address but is not one (four numbers 0-255, no leading zeros)',
      '14:9: name "[fd00::1]": bad range "[fd00::1]": expected [start:end] or [start:end:step] with numbers ([1:3], zero-padded [01:10]) or single letters ([a:f]); write IPv6 addresses without brackets',
      '15:15: name "n[1:200000]": expands to 200000 hosts, more than the limit of 100000 per pattern; split it into smaller ranges',
      '16:9: a host must be a name or a mapping with name:, got a list (quote a value that starts with "[", e.g. "[a:c].example")',
    ]);
  });

  it('names the expanded value and its pattern when one expansion is invalid', () => {
    expect(issues(yaml('clusters:', '  a:', '    hosts:', '      - name: a[1:2]', '        address: 10.0.0.[255:256]'))).toEqual([
      '5:18: address "10.0.0.256" (expanded from "10.0.0.[255:256]") looks like an IPv4 address but is not one (four numbers 0-255, no leading zeros)',
    ]);
  });

  it('requires name and address ranges to give the same number of hosts', () => {
    expect(
      issues(
        yaml(
          'clusters:',
          '  a:',
          '    hosts:',
          '      - name: cp[1:3]',
          '        address: 10.0.0.1',
          '      - name: h[1:2]',
          '        address: 10.0.1.[1:3]',
          '      - name: single',
          '        address: 10.0.2.[1:2]',
        ),
      ),
    ).toEqual([
      '5:18: address "10.0.0.1" is a single address but name "cp[1:3]" expands to 3 hosts; give the address matching ranges (e.g. 10.0.1.[11:13]) or list the hosts separately',
      '7:18: address "10.0.1.[1:3]" expands to 3 hosts but name "h[1:2]" expands to 2; ranges in name and address must give the same number of hosts',
      '9:18: address "10.0.2.[1:2]" expands to 2 hosts but name "single" expands to 1; ranges in name and address must give the same number of hosts',
    ]);
  });

  it('reports duplicate host names across the inventory at the second occurrence, case-insensitively', () => {
    expect(
      issues(
        yaml(
          'clusters:',
          '  a:',
          '    hosts:',
          '      - cp[1:2]',
          '      - name: etcd1',
          '  b:',
          '    hosts:',
          '      - CP2',
          '      - name: etcd[1:2]',
          '        address: 10.0.0.[1:2]',
        ),
      ),
    ).toEqual([
      '8:9: duplicate host name "CP2": already defined at /srv/fleet/inventory.yaml:4:9 in cluster "a"; host names must be unique across the inventory',
      '9:15: duplicate host name "etcd1": already defined at /srv/fleet/inventory.yaml:5:15 in cluster "a"; host names must be unique across the inventory',
    ]);
  });

  it('reports a local user name that cannot be used, at each host that needs it', () => {
    const text = yaml('clusters:', '  a:', '    hosts:', '      - a1', '      - name: a2', '        user: ops');
    expect(issues(text, { homeDir: '/h', localUser: 'Jane Doe' })).toEqual([
      '4:9: no user is set for this host or its defaults, and the local user name "Jane Doe", used instead, is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-"); set user: under defaults',
    ]);
    expect(() => parseNativeInventory(yaml('defaults: {user: ops}', 'clusters: {a: {hosts: [a1]}}'), FILE, { localUser: 'Jane Doe' })).not.toThrow();
  });

  it('rejects identityFile and identityFiles together, and non-text keys in a host', () => {
    expect(
      issues(yaml('clusters:', '  a:', '    hosts:', '      - name: a1', '        identityFile: k1', '        identityFiles: [k2]', '        22: x')),
    ).toEqual([
      '6:9: set either identityFile or identityFiles, not both',
      '7:9: keys in a host must be text, got the number 22; quote it if it is meant as a name',
    ]);
  });
});
