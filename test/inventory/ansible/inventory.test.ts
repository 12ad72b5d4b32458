import { afterEach, describe, expect, it, vi } from 'vitest';
import { InventoryError } from '../../../src/inventory/errors.js';
import { parseAnsibleInventory } from '../../../src/inventory/ansible/inventory.js';
import type { Target } from '../../../src/model.js';

const FILE = '/srv/kubespray/inventory/mycluster/hosts.yaml';
// Ansible's ssh opens a relative key file from the directory ansible runs in.
const OPTS = { homeDir: '/home/tester', localUser: 'tester', cwd: '/srv/kubespray' };

function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function parse(text: string, file = FILE): Target[] {
  return parseAnsibleInventory(text, file, OPTS).targets;
}

/** The issues as `line:column: message`, for exact comparison. */
function issues(text: string, opts: { homeDir?: string; localUser?: string; cwd?: string } = OPTS, file = FILE): string[] {
  try {
    parseAnsibleInventory(text, file, opts);
  } catch (error) {
    if (!(error instanceof InventoryError)) throw error;
    for (const issue of error.issues) expect(issue.file).toBe(file);
    return error.issues.map((issue) => `${issue.line}:${issue.column}: ${issue.message}`);
  }
  throw new Error('expected an InventoryError');
}

/** The jump chain in connection order, outermost hop first. */
function via(target: Target): string {
  const hops: string[] = [];
  for (let hop = target.jump; hop !== undefined; hop = hop.jump) hops.unshift(`${hop.user}@${hop.address}:${hop.port}`);
  return hops.length === 0 ? '' : ` via ${hops.join(' > ')}`;
}

function summary(targets: Target[]): string[] {
  return targets.map(
    (t) =>
      `${t.cluster} ${t.name} ${t.user}@${t.address}:${t.port} [${t.roles.join(',')}] become=${t.become} keys=${t.identityFiles.join(',')}${via(t)}${t.proxyCommand ? ` proxy=${t.proxyCommand.command}` : ''}`,
  );
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('parseAnsibleInventory: kubespray inventories', () => {
  it("reads kubespray's documented inventory: roles from its groups, hosts in no role group left out", () => {
    // kubespray docs/ansible/inventory.md, as `ansible-inventory -y --list` writes it, plus the
    // k8s_cluster and calico_rr groups of its sample.
    const targets = parse(
      yaml(
        'all:',
        '  hosts:',
        '    node1: {ansible_host: 95.54.0.12, ip: 10.3.0.1}',
        '    node2: {ansible_host: 95.54.0.13, ip: 10.3.0.2}',
        '    node3: {ansible_host: 95.54.0.14, ip: 10.3.0.3}',
        '    node4: {ansible_host: 95.54.0.15, ip: 10.3.0.4}',
        '    node5: {ansible_host: 95.54.0.16, ip: 10.3.0.5}',
        '    node6: {ansible_host: 95.54.0.17, ip: 10.3.0.6}',
        '    rr1: {ansible_host: 95.54.0.18}',
        '  children:',
        '    kube_control_plane:',
        '      hosts: {node1: , node2: }',
        '    etcd:',
        '      hosts: {node1: , node2: , node3: }',
        '    kube_node:',
        '      hosts: {node2: , node3: , node4: , node5: , node6: }',
        '    k8s_cluster:',
        '      children:',
        '        kube_control_plane:',
        '        kube_node:',
        '        calico_rr:',
        '    calico_rr:',
        '      hosts: {rr1: }',
      ),
    );
    const host = (name: string, address: string, roles: Target['roles']): Target => ({
      name,
      cluster: 'hosts',
      address,
      port: 22,
      user: 'tester',
      roles,
      become: false,
      identityFiles: [],
    });
    expect(targets).toEqual([
      host('node1', '95.54.0.12', ['etcd', 'control-plane']),
      host('node2', '95.54.0.13', ['etcd', 'control-plane', 'worker']),
      host('node3', '95.54.0.14', ['etcd', 'worker']),
      host('node4', '95.54.0.15', ['worker']),
      host('node5', '95.54.0.16', ['worker']),
      host('node6', '95.54.0.17', ['worker']),
    ]);
  });

  it('reads what `ansible-inventory -y --list` writes for an INI inventory, the conversion fleetbench suggests', () => {
    // ansible-core 2.14's output for an INI inventory in kubespray's documented shape, with a
    // bastion, `node[1:3]` in [etcd] and [all:vars] ansible_user=ubuntu ansible_become=yes.
    const targets = parse(
      yaml(
        'all:',
        '  children:',
        '    bastion:',
        '      hosts:',
        '        bastion:',
        "          ansible_become: 'yes'",
        '          ansible_host: 203.0.113.10',
        '          ansible_user: jump',
        '    etcd:',
        '      hosts:',
        '        node1:',
        "          ansible_become: 'yes'",
        '          ansible_host: 95.54.0.12',
        '          ansible_user: ubuntu',
        '          ip: 10.3.0.1',
        '        node2:',
        "          ansible_become: 'yes'",
        '          ansible_host: 95.54.0.13',
        '          ansible_port: 2222',
        '          ansible_user: ubuntu',
        '          ip: 10.3.0.2',
        '        node3:',
        "          ansible_become: 'yes'",
        '          ansible_host: 95.54.0.14',
        '          ansible_user: ubuntu',
        '          ip: 10.3.0.3',
        '    k8s_cluster:',
        '      children:',
        '        kube_control_plane:',
        '          hosts:',
        '            node1: {}',
        '            node2: {}',
        '        kube_node:',
        '          hosts:',
        '            node2: {}',
        '            node3: {}',
        '    ungrouped: {}',
      ),
      '/srv/kubespray/inventory/mycluster/inventory.yaml',
    );
    expect(summary(targets)).toEqual([
      'inventory node1 ubuntu@95.54.0.12:22 [etcd,control-plane] become=true keys= via jump@203.0.113.10:22',
      'inventory node2 ubuntu@95.54.0.13:2222 [etcd,control-plane,worker] become=true keys= via jump@203.0.113.10:22',
      'inventory node3 ubuntu@95.54.0.14:22 [etcd,worker] become=true keys= via jump@203.0.113.10:22',
    ]);
  });

  it("reads kubespray's pre-2.16 group names: kube-master, kube_master, kube-node", () => {
    const targets = parse(
      yaml(
        'all:',
        '  children:',
        '    kube-master: {hosts: {m1: }}',
        '    kube_master: {hosts: {m2: }}',
        '    kube-node: {hosts: {w1: }}',
        '    etcd: {hosts: {m1: }}',
        '    k8s-cluster:',
        '      children: {kube-master: , kube-node: }',
        '    calico-rr: {hosts: {}}',
      ),
    );
    expect(targets.map((t) => `${t.name} [${t.roles.join(',')}]`)).toEqual(['m1 [etcd,control-plane]', 'm2 [control-plane]', 'w1 [worker]']);
  });

  it('counts a host as in a group when it is in one of its children, at any depth', () => {
    const targets = parse(
      yaml('all:', '  children:', '    etcd:', '      children:', '        etcd_dc1:', '          children:', '            etcd_rack1: {hosts: {"e[1:2]": }}'),
    );
    expect(targets.map((t) => `${t.name} [${t.roles.join(',')}]`)).toEqual(['e1 [etcd]', 'e2 [etcd]']);
  });

  it('reaches every other host through the host of the bastion group, as kubespray does', () => {
    const targets = parse(
      yaml(
        'all:',
        '  hosts:',
        '    node1: {ansible_host: 10.3.0.1}',
        '    node2: {ansible_host: 10.3.0.2, ansible_ssh_private_key_file: keys/node2}',
        '    bastion: {ansible_host: 203.0.113.10, ansible_user: jump, ansible_port: 2222}',
        '  vars:',
        '    ansible_user: ubuntu',
        '    ansible_become: true',
        '    ansible_ssh_private_key_file: ~/.ssh/kubespray',
        '  children:',
        '    kube_control_plane: {hosts: {node1: }}',
        '    etcd: {hosts: {node1: , node2: }}',
        '    bastion:',
        '      hosts:',
        '        bastion:',
      ),
    );
    const bastion: Target = {
      name: 'bastion',
      cluster: 'hosts',
      address: '203.0.113.10',
      port: 2222,
      user: 'jump',
      roles: [],
      become: false,
      identityFiles: ['/home/tester/.ssh/kubespray'],
    };
    expect(targets).toEqual([
      {
        name: 'node1',
        cluster: 'hosts',
        address: '10.3.0.1',
        port: 22,
        user: 'ubuntu',
        roles: ['etcd', 'control-plane'],
        become: true,
        identityFiles: ['/home/tester/.ssh/kubespray'],
        jump: bastion,
      },
      {
        name: 'node2',
        cluster: 'hosts',
        address: '10.3.0.2',
        port: 22,
        user: 'ubuntu',
        roles: ['etcd'],
        become: true,
        identityFiles: ['/srv/kubespray/keys/node2'],
        jump: bastion,
      },
    ]);
    expect(targets[0]?.jump).not.toBe(targets[1]?.jump);
  });

  it('becomes root with --become (ansible -b) where no ansible_become is seen; a host or group that says no keeps it', () => {
    const text = yaml(
      'all:',
      '  hosts:',
      '    node1: {ansible_host: 10.3.0.1}',
      '    node2: {ansible_host: 10.3.0.2, ansible_become: false}',
      '    node3: {ansible_host: 10.3.0.3}',
      '  children:',
      '    etcd: {hosts: {node1: , node2: , node3: }}',
      '    legacy: {hosts: {node3: }, vars: {ansible_become: no}}',
    );
    const become = (opts: { become?: boolean }) => parseAnsibleInventory(text, FILE, { ...OPTS, ...opts }).targets.map((t) => `${t.name}=${t.become}`);
    expect(become({})).toEqual(['node1=false', 'node2=false', 'node3=false']);
    expect(become({ become: true })).toEqual(['node1=true', 'node2=false', 'node3=false']);
  });

  it('uses the host named bastion when the bastion group has several; the bastion itself is reached directly', () => {
    const targets = parse(
      yaml(
        'all:',
        '  children:',
        '    bastion:',
        '      hosts:',
        '        bastion-old: {ansible_host: 203.0.113.9}',
        '        bastion: {ansible_host: 203.0.113.10, fleetbench_roles: [etcd]}',
        '    etcd: {hosts: {node1: }}',
      ),
    );
    expect(summary(targets)).toEqual([
      'hosts bastion tester@203.0.113.10:22 [etcd] become=false keys=',
      'hosts node1 tester@node1:22 [etcd] become=false keys= via tester@203.0.113.10:22',
    ]);
  });

  it("gives the bastion its own jump hosts from its ssh options, and lets a host's ProxyJump win over the bastion", () => {
    const targets = parse(
      yaml(
        'all:',
        '  hosts:',
        '    bastion:',
        '      ansible_host: 10.9.0.1',
        '      ansible_ssh_common_args: -J gate@gw.example.com',
        '    node1:',
        '    node2: {ansible_ssh_extra_args: -o ProxyJump=other@jump2.example.com}',
        '    node3: {ansible_ssh_common_args: -o ProxyJump=none}',
        '  children:',
        '    bastion: {hosts: {bastion: }}',
        '    etcd: {hosts: {node1: , node2: , node3: }}',
      ),
    );
    expect(summary(targets)).toEqual([
      'hosts node1 tester@node1:22 [etcd] become=false keys= via gate@gw.example.com:22 > tester@10.9.0.1:22',
      'hosts node2 tester@node2:22 [etcd] become=false keys= via other@jump2.example.com:22',
      'hosts node3 tester@node3:22 [etcd] become=false keys=',
    ]);
  });
});

describe('parseAnsibleInventory: variables as Ansible resolves them', () => {
  // Each expected value here was checked with `ansible-inventory --host` (ansible-core 2.14).
  it('host variables win over group variables; a later definition of a host variable wins', () => {
    const targets = parse(
      yaml(
        'all:',
        '  vars: {ansible_user: from-all, ansible_port: 2000}',
        '  hosts:',
        '    h1: {ansible_user: first}',
        '  children:',
        '    etcd:',
        '      vars: {ansible_user: from-etcd, ansible_port: 2001}',
        '      hosts:',
        '        h1: {ansible_user: second}',
        '        h2:',
      ),
    );
    expect(summary(targets)).toEqual(['hosts h1 second@h1:2001 [etcd] become=false keys=', 'hosts h2 from-etcd@h2:2001 [etcd] become=false keys=']);
  });

  it('a deeper group wins, depth being the longest path from all; at equal depth the higher priority, then the later name', () => {
    const targets = parse(
      yaml(
        'all:',
        '  vars: {ansible_user: all, ansible_port: 2000, ansible_become: no}',
        '  children:',
        '    etcd:',
        '      vars: {ansible_user: etcd, ansible_port: 2001, ansible_become: "yes"}',
        '      hosts: {h1: }',
        '    kube_node:',
        '      vars: {ansible_port: 2002}',
        '      hosts: {h1: }',
        '    k8s_cluster:',
        '      children:',
        '        kube_control_plane:',
        '          vars: {ansible_user: kcp}',
        '    kube_control_plane:',
        '      hosts: {h1: }',
        '    aaa:',
        '      vars: {ansible_become: off, ansible_group_priority: 10}',
        '      hosts: {h1: }',
      ),
    );
    // user: kube_control_plane is at depth 2 through k8s_cluster, etcd only at depth 1.
    // port: etcd and kube_node both at depth 1, kube_node is the later name.
    // become: aaa and etcd both at depth 1, aaa has the higher priority.
    expect(summary(targets)).toEqual(['hosts h1 kcp@h1:2002 [etcd,control-plane,worker] become=false keys=']);
  });

  it('reads a port in the host key as the host ansible_port, which its own variables override', () => {
    const targets = parse(
      yaml(
        'all:',
        '  vars: {ansible_port: 2000}',
        '  children:',
        '    etcd:',
        '      hosts:',
        '        a:2201:',
        '        b:2202: {ansible_port: 2302}',
        '        "c[1:2]:2203":',
        '        "[fd00::5]:2204":',
        '        fd00::6:',
        '        10.0.0.7:2205:',
      ),
    );
    expect(targets.map((t) => `${t.name}=${t.address}:${t.port}`)).toEqual([
      'a=a:2201',
      'b=b:2302',
      'c1=c1:2203',
      'c2=c2:2203',
      'fd00::5=fd00::5:2204',
      'fd00::6=fd00::6:2000',
      '10.0.0.7=10.0.0.7:2205',
    ]);
  });

  it('expands host patterns: zero-padded, letters, steps, several ranges, in file order', () => {
    const targets = parse(
      yaml(
        'all:',
        '  children:',
        '    etcd:',
        '      hosts:',
        '        node[01:03]:',
        '        db-[a:c].example:',
        '        w[1:5:2]:',
        '        r[1:2]-[a:b]:',
      ),
    );
    expect(targets.map((t) => t.name)).toEqual([
      'node01',
      'node02',
      'node03',
      'db-a.example',
      'db-b.example',
      'db-c.example',
      'w1',
      'w3',
      'w5',
      'r1-a',
      'r1-b',
      'r2-a',
      'r2-b',
    ]);
  });

  it('lets the ansible_ssh_ spelling of a setting win over the short one, as the ssh connection plugin does', () => {
    const targets = parse(
      yaml(
        'all:',
        '  vars: {ansible_ssh_user: old-style, ansible_ssh_port: 2222, ansible_private_key_file: /k/short}',
        '  children:',
        '    etcd:',
        '      hosts:',
        '        h1:',
        '          ansible_host: 10.0.0.1',
        '          ansible_ssh_host: 10.0.0.2',
        '          ansible_user: new-style',
        '          ansible_port: 22',
        '          ansible_ssh_private_key_file: /k/long',
        '        h2: {ansible_ssh_host: 10.0.0.3, ansible_ssh_user: , ansible_user: u2}',
      ),
    );
    // h2 sets ansible_ssh_user to nothing: Ansible skips an unset value and uses the next spelling.
    expect(summary(targets)).toEqual([
      'hosts h1 old-style@10.0.0.2:2222 [etcd] become=false keys=/k/long',
      'hosts h2 u2@10.0.0.3:2222 [etcd] become=false keys=/k/short',
    ]);
  });

  it("reads ansible_become in Ansible's spellings, in any case; a port may be digits as text", () => {
    const spellings = ['true', 'True', 'yes', 'YES', 'on', '1', '"1"', '"y"', 'false', 'no', 'Off', '0', '"N"', '"f"'];
    const targets = parse(
      yaml(
        'all:',
        '  children:',
        '    etcd:',
        '      hosts:',
        ...spellings.map((value, i) => `        h${i}: {ansible_become: ${value}, ansible_port: "22${i}"}`),
      ),
    );
    expect(targets.map((t) => `${t.become}:${t.port}`)).toEqual([
      'true:220',
      'true:221',
      'true:222',
      'true:223',
      'true:224',
      'true:225',
      'true:226',
      'true:227',
      'false:228',
      'false:229',
      'false:2210',
      'false:2211',
      'false:2212',
      'false:2213',
    ]);
  });

  it("resolves key files against home and the current directory, as Ansible's ssh opens them", () => {
    const targets = parse(
      yaml(
        'all:',
        '  children:',
        '    etcd:',
        '      hosts:',
        '        a: {ansible_ssh_private_key_file: ~/.ssh/id_ed25519}',
        '        b: {ansible_ssh_private_key_file: keys/b}',
        '        c: {ansible_ssh_private_key_file: /etc/fleet/c.key}',
        '        d:',
      ),
    );
    expect(targets.map((t) => [t.name, t.identityFiles])).toEqual([
      ['a', ['/home/tester/.ssh/id_ed25519']],
      ['b', ['/srv/kubespray/keys/b']],
      ['c', ['/etc/fleet/c.key']],
      ['d', []],
    ]);
  });

  it('leaves alone variables fleetbench does not use, even vaulted or templated ones', () => {
    const targets = parse(
      yaml(
        'all:',
        '  vars:',
        '    ansible_become_password: !vault |',
        '      $ANSIBLE_VAULT;1.1;AES256',
        '      62313365396662343061393464336163383764373764613633653634306231386433626436623361',
        "    kube_version: \"{{ lookup('env', 'KUBE_VERSION') }}\"",
        '    node_labels: {zone: a}',
        '  children:',
        '    etcd:',
        '      hosts:',
        '        h1: {ansible_ssh_private_key_file: !unsafe "/keys/{{literal}}", ip: 10.0.0.1}',
        '        h2: {ansible_host: 10.0.0.2}',
      ),
    );
    // !unsafe marks text Ansible never templates, so its braces are literal.
    expect(targets.map((t) => `${t.name}=${t.address} ${t.identityFiles.join(',')}`)).toEqual(['h1=h1 /keys/{{literal}}', 'h2=10.0.0.2 ']);
  });
});

describe('parseAnsibleInventory: roles, clusters and jump hosts', () => {
  it('takes fleetbench_roles over the groups; [] leaves a host out; hosts without roles are not targets', () => {
    const targets = parse(
      yaml(
        'all:',
        '  hosts:',
        '    grafana:',
        '  children:',
        '    masters:',
        '      vars: {fleetbench_roles: [etcd, control-plane]}',
        '      hosts: {m1: , m2: {fleetbench_roles: [control-plane]}}',
        '    etcd:',
        '      hosts: {e1: , e2: {fleetbench_roles: []}, m1: }',
        '    kube_node:',
        '      hosts: {w1: {fleetbench_roles: [worker, worker]}}',
      ),
    );
    expect(targets.map((t) => `${t.name} [${t.roles.join(',')}]`)).toEqual(['m1 [etcd,control-plane]', 'm2 [control-plane]', 'e1 [etcd]', 'w1 [worker]']);
  });

  it('names the cluster by fleetbench_cluster, else cluster_name, else the file name without extension', () => {
    const text = yaml(
      'all:',
      '  children:',
      '    etcd:',
      '      hosts:',
      '        a: {fleetbench_cluster: prod, cluster_name: cluster.local}',
      '        b: {cluster_name: cluster.local}',
      '        c:',
    );
    expect(parse(text).map((t) => `${t.name}:${t.cluster}`)).toEqual(['a:prod', 'b:cluster.local', 'c:hosts']);
    expect(parse(text, '/srv/inventories/prod-dc1.yml').map((t) => t.cluster)).toEqual(['prod', 'cluster.local', 'prod-dc1']);
  });

  it('reads jump chains from ssh options as nested targets, the hop next to the target first', () => {
    const [target] = parse(
      yaml(
        'all:',
        '  children:',
        '    etcd:',
        '      vars:',
        '        fleetbench_cluster: dc2',
        `        ansible_ssh_common_args: '-o StrictHostKeyChecking=no -o "ProxyJump=ops@gw.example.com:2222,[fd00::1]"'`,
        '      hosts: {etcd1: }',
      ),
    );
    expect(target?.jump).toEqual({
      name: 'fd00::1',
      cluster: 'dc2',
      address: 'fd00::1',
      port: 22,
      user: 'tester',
      roles: [],
      become: false,
      identityFiles: [],
      jump: { name: 'gw.example.com', cluster: 'dc2', address: 'gw.example.com', port: 2222, user: 'ops', roles: [], become: false, identityFiles: [] },
    });
  });

  it('takes the first jump setting across ansible_ssh_args, _common_args and _extra_args, in that order, as ssh does', () => {
    const targets = parse(
      yaml(
        'all:',
        '  vars: {ansible_ssh_extra_args: -o ProxyJump=extra}',
        '  children:',
        '    etcd:',
        '      hosts:',
        '        a: {ansible_ssh_common_args: -J common}',
        `        b: {ansible_ssh_args: -C -o ControlMaster=auto -o ProxyJump=args, ansible_ssh_common_args: "-o 'ProxyCommand=nc %h %p'"}`,
        '        c: {ansible_ssh_common_args: -o ServerAliveInterval=30}',
        `        d: {ansible_ssh_common_args: "-o 'ProxyCommand=nc %h %p'"}`,
        '        e: {ansible_ssh_common_args: -J none}',
      ),
    );
    expect(summary(targets)).toEqual([
      'hosts a tester@a:22 [etcd] become=false keys= via tester@common:22',
      'hosts b tester@b:22 [etcd] become=false keys= via tester@args:22',
      'hosts c tester@c:22 [etcd] become=false keys= via tester@extra:22',
      // A ProxyCommand given first rules out every later ProxyJump; "-J none" any later jump.
      'hosts d tester@d:22 [etcd] become=false keys= proxy=nc d 22',
      'hosts e tester@e:22 [etcd] become=false keys=',
    ]);
  });

  it('accepts a lone host name for hosts and a lone group name for children, as Ansible does', () => {
    const targets = parse(yaml('all:', '  children:', '    k8s_cluster:', '      children: etcd', '    etcd:', '      hosts: node1'));
    expect(summary(targets)).toEqual(['hosts node1 tester@node1:22 [etcd] become=false keys=']);
  });

  it('follows YAML anchors and aliases, reading a group body reached twice once', () => {
    const targets = parse(
      yaml(
        'all:',
        '  children:',
        '    etcd: &members',
        '      vars: &ops {ansible_user: ops}',
        '      hosts: {e1: }',
        '    kube_control_plane: *members',
        '    kube_node:',
        '      vars: *ops',
        '      hosts: {w1: }',
      ),
    );
    expect(summary(targets)).toEqual(['hosts e1 ops@e1:22 [etcd,control-plane] become=false keys=', 'hosts w1 ops@w1:22 [worker] become=false keys=']);
  });

  it('takes the login from $USER when no option and no ansible_user say otherwise', () => {
    vi.stubEnv('USER', 'from-env');
    const targets = parseAnsibleInventory(yaml('etcd:', '  hosts: {e1: }'), FILE, { homeDir: '/h' }).targets;
    expect(targets.map((t) => t.user)).toEqual(['from-env']);
  });
});

describe('parseAnsibleInventory: errors', () => {
  it('reports malformed structure at its node, every problem at once, in file order', () => {
    const text = yaml(
      'all:', //                                   1
      '  hosts:', //                               2
      '    node1: 10.0.0.1', //                    3
      '  ansible_user: ops', //                    4
      '  children:', //                            5
      '    etcd:', //                              6
      '      hosts: [node1, node2]', //            7
      '    kube_node: node3', //                   8
      '    kube_control_plane:', //                9
      '      hosts:', //                           10
      '        node1', //                          11
      '        node2', //                          12
      '      vars: [a, b]', //                     13
      '      Children:', //                        14
      '    k8s_cluster:', //                       15
      '      children: [kube_node]', //            16
      '    calico_rr:', //                         17
      '      hosts:', //                           18
      '        rr[3:1]:', //                       19
      '        rr9:ssh:', //                       20
      '        all:', //                           21
      '      children:', //                        22
      '        all:', //                           23
    );
    expect(issues(text)).toEqual([
      '3:12: host "node1" must be followed by a mapping of its variables (ansible_host: 10.0.0.1) or by nothing, got the text "10.0.0.1"',
      '4:3: unknown key "ansible_user" in group "all": a group has only hosts:, children: and vars:; variables go under vars:',
      '7:14: the hosts of group "etcd" must be a mapping of host names, each followed by ":" (node1:), got a list',
      '8:16: group "kube_node" must be a mapping with hosts:, children: or vars:, got the text "node3"',
      '11:9: the hosts of group "kube_control_plane" read as the single name "node1 node2": end each host name with ":" (node1:) on a line of its own',
      '13:13: the vars of group "kube_control_plane" must be a mapping (name: value lines), got a list',
      '14:7: unknown key "Children" in group "kube_control_plane": a group has only hosts:, children: and vars: (did you mean "children"?)',
      '16:17: the children of group "k8s_cluster" must be a mapping of group names, each followed by ":" (kube_node:), got a list',
      '19:9: host "rr[3:1]": bad range "[3:1]": start 3 is after end 1',
      '20:9: host "rr9:ssh" has "ssh" after ":", where a port number belongs (host:port)',
      '23:9: group "all" holds every host and cannot be a child of group "calico_rr"',
    ]);
  });

  it('reports a group that would contain itself', () => {
    const text = yaml(
      'all:', //                1
      '  children:', //         2
      '    a:', //              3
      '      children:', //     4
      '        b:', //          5
      '          children:', // 6
      '            a:', //      7
      '    c:', //              8
      '      children:', //     9
      '        c:', //          10
    );
    expect(issues(text)).toEqual([
      '7:13: group "a" cannot be a child of group "b", which is already inside it: groups may not contain themselves',
      '10:9: group "c" cannot be a child of group "c", which is already inside it: groups may not contain themselves',
    ]);
  });

  it('reports wrong connection values once per definition, naming the hosts it affects', () => {
    const text = yaml(
      'all:', //                                                        1
      '  vars:', //                                                     2
      '    ansible_port: ssh', //                                       3
      '  children:', //                                                 4
      '    etcd:', //                                                   5
      '      vars:', //                                                 6
      '        ansible_user: 9ops', //                                  7
      '        ansible_become: maybe', //                               8
      '      hosts:', //                                                9
      '        e[1:5]:', //                                             10
      '        e6:', //                                                 11
      '          ansible_host: "{{ ip }}"', //                          12
      '          ansible_ssh_private_key_file: ~admin/.ssh/key', //     13
      '          ansible_connection: local', //                         14
      '        "-oProxyCommand=x":', //                                 15
      '          ansible_user: !vault |', //                            16
      '            $ANSIBLE_VAULT;1.1;AES256', //                       17
      '            6231', //                                            18
      '          ansible_host: 10.0.0.300', //                          19
    );
    expect(issues(text)).toEqual([
      '3:19: ansible_port must be a whole number from 1 to 65535, got the text "ssh" (set in group "all", for hosts e1, e2, e3 and 4 more)',
      '7:23: ansible_user "9ops" is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-") (set in group "etcd", for hosts e1, e2, e3 and 3 more)',
      '8:25: ansible_become must be true or false (or yes/no, on/off, 1/0), got the text "maybe" (set in group "etcd", for hosts e1, e2, e3 and 4 more)',
      '12:25: ansible_host "{{ ip }}" is a Jinja2 template, which fleetbench does not evaluate; write the value itself (for host e6)',
      '13:41: ansible_ssh_private_key_file "~admin/.ssh/key" uses ~user, which is not supported; write the full path or ~/ for your own home (for host e6)',
      '14:31: ansible_connection is "local", but fleetbench connects over ssh only and would reach another machine than Ansible does; audit the host through ssh, or leave it out with fleetbench_roles: [] (for host e6)',
      // A tagged value's position is its indicator (|), after the tag.
      '16:32: ansible_user is encrypted with Ansible Vault, which fleetbench cannot decrypt; write its value in clear text (it is not a secret) (for host -oProxyCommand=x)',
      '19:25: ansible_host "10.0.0.300" looks like an IPv4 address but is not one (four numbers 0-255, no leading zeros) (for host -oProxyCommand=x)',
    ]);
  });

  it('reports a host name that cannot be connected to when no ansible_host is set', () => {
    const text = yaml('all:', '  children:', '    etcd:', '      hosts:', '        "-oProxyCommand=x":', '        ok: {ansible_host: 10.0.0.1}');
    expect(issues(text)).toEqual([
      '5:9: host name "-oProxyCommand=x" starts with "-", which ssh would read as an option; set ansible_host to the address to connect to',
    ]);
  });

  it('reports jump options that ssh would refuse or that cannot be read', () => {
    const text = yaml(
      'all:', //                                                                                            1
      '  children:', //                                                                                     2
      '    etcd:', //                                                                                       3
      '      hosts:', //                                                                                    4
      `        node1: {ansible_ssh_common_args: '-o ProxyCommand="ssh -W %h:%p -q bastion" -J gw'}`, //     5
      `        node2: {ansible_ssh_common_args: "-o 'ProxyJump=gw"}`, //                                   6
      '        node3: {ansible_ssh_extra_args: -J ops@gw:99999}', //                                       7
      '        node4: {ansible_ssh_extra_args: -J}', //                                                     8
      '        node5: {ansible_ssh_common_args: [-J, gw]}', //                                              9
      '        node6: {ansible_ssh_common_args: -J a, ansible_ssh_extra_args: -J b}', //                   10
    );
    expect(issues(text)).toEqual([
      '5:42: ansible_ssh_common_args gives -J after a ProxyCommand, which ssh refuses (for host node1)',
      '6:42: ansible_ssh_common_args has a single quote that is never closed (for host node2)',
      '7:41: ansible_ssh_extra_args: jump host "ops@gw:99999" has port "99999", which is not a whole number from 1 to 65535 (for host node3)',
      '8:41: ansible_ssh_extra_args ends with -J, which needs a value (for host node4)',
      '9:42: ansible_ssh_common_args must be text, got a list (for host node5)',
      '10:72: ansible_ssh_extra_args gives a jump host twice (ssh accepts one -J; separate several hops with commas) (for host node6)',
    ]);
  });

  it('checks the variables of the hosts it connects to only', () => {
    const targets = parse(
      yaml(
        'all:',
        '  hosts:',
        '    localhost: {ansible_connection: local, ansible_host: "{{ inventory_hostname }}"}',
        '    win1: {ansible_connection: winrm, ansible_port: 5986x}',
        '  children:',
        '    etcd: {hosts: {e1: }}',
      ),
    );
    expect(targets.map((t) => t.name)).toEqual(['e1']);
  });

  it('reports wrong fleetbench_roles, cluster names and group priorities', () => {
    const text = yaml(
      'all:', //                                                    1
      '  children:', //                                             2
      '    etcd:', //                                               3
      '      vars: {ansible_group_priority: high}', //              4
      '      hosts:', //                                            5
      '        a: {fleetbench_roles: [etcd, master]}', //           6
      '        b: {fleetbench_roles: etcd}', //                     7
      '        c: {fleetbench_cluster: "prod dc1"}', //             8
      '        d: {cluster_name: [a]}', //                          9
    );
    expect(issues(text)).toEqual([
      '4:38: ansible_group_priority must be a whole number (higher wins among groups at the same depth), got the text "high"',
      '6:31: fleetbench_roles has unknown role "master"; roles are: etcd, control-plane, worker (for host a)',
      '7:31: fleetbench_roles must be a list such as [etcd, control-plane], got the text "etcd" (for host b)',
      '8:33: fleetbench_cluster "prod dc1" is not a valid cluster name (it must start with a letter or digit and contain only letters, digits, "_", "." and "-") (for host c)',
      '9:27: cluster_name must be text, got a list (for host d)',
    ]);
  });

  it('reports a file name that cannot name the cluster, once, when a host needs it', () => {
    const text = yaml('etcd:', '  hosts: {a: , b: }');
    expect(issues(text, OPTS, '/srv/my fleet.yaml')).toEqual([
      '1:1: hosts that set neither fleetbench_cluster nor cluster_name are put in a cluster named after the file, but "my fleet" is not a valid cluster name (it must start with a letter or digit and contain only letters, digits, "_", "." and "-"); set fleetbench_cluster under all: vars:',
    ]);
    expect(parse(yaml('etcd:', '  vars: {fleetbench_cluster: lab}', '  hosts: {a: }'), '/srv/my fleet.yaml').map((t) => t.cluster)).toEqual(['lab']);
  });

  it('says what is missing when no host has a role', () => {
    const text = yaml(
      '# a generic Ansible inventory', // 1
      'all:', //                          2
      '  children:', //                   3
      '    webservers:', //               4
      '      hosts: {"web[1:2]": }', //   5
      '    calico_rr:', //                6
      '      hosts: {rr1: }', //          7
    );
    expect(issues(text)).toEqual([
      "2:1: no host to audit: no host is in an etcd, kube_control_plane or kube_node group (kubespray's groups; also kube-master and kube-node), and none sets fleetbench_roles; put the hosts in those groups, or set fleetbench_roles: [etcd, control-plane] in their vars",
    ]);
  });

  it('reports a bastion group with several hosts, none named bastion', () => {
    const text = yaml(
      'all:', //                                     1
      '  children:', //                              2
      '    bastion:', //                             3
      '      hosts: {jump1: , jump2: }', //          4
      '    etcd: {hosts: {e1: }}', //                5
    );
    expect(issues(text)).toEqual([
      '3:5: group "bastion" has 2 hosts (jump1, jump2); like kubespray, fleetbench uses one bastion: name it "bastion", or give each host its jump host with ansible_ssh_common_args: -J user@host',
    ]);
  });

  it('reports a local user name that cannot be used, at each host that needs it', () => {
    const text = yaml('etcd:', '  hosts:', '    a:', '    b: {ansible_user: ops}', '    c:');
    expect(issues(text, { homeDir: '/h', localUser: '9x' })).toEqual([
      '3:5: no ansible_user is set for host "a" or its groups, and the local user name "9x", used instead, is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-"); set ansible_user under all: vars:',
      '5:5: no ansible_user is set for host "c" or its groups, and the local user name "9x", used instead, is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-"); set ansible_user under all: vars:',
    ]);
  });

  it('reports jump hosts without a user when the local user name cannot be used', () => {
    const text = yaml('etcd:', '  vars: {ansible_user: ops, ansible_ssh_common_args: -J gw}', '  hosts: {a: }');
    expect(issues(text, { homeDir: '/h', localUser: '9x' })).toEqual([
      '3:11: jump host "gw" names no user, and the local user name "9x", used instead, is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-"); write it as user@gw or give it a User in ssh_config',
    ]);
  });

  it('reports host names that differ only in case', () => {
    const text = yaml('etcd:', '  hosts:', '    node1:', '    NODE1:');
    expect(issues(text)).toEqual([
      `4:5: host "NODE1" differs from host "node1" (${FILE}:3:5) only in case; DNS ignores case, so they are one machine: spell it one way`,
    ]);
  });

  it('reports a document that is not a mapping of groups', () => {
    expect(issues(yaml('- all'))).toEqual(['1:1: an Ansible inventory is a mapping of groups such as all:, got a list']);
  });
});
