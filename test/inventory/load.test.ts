import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryError } from '../../src/inventory/errors.js';
import { loadInventory, parseInventory } from '../../src/inventory/load.js';
import type { Target } from '../../src/model.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetbench-inventory-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<InventoryError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InventoryError);
  return error as InventoryError;
}

describe('loadInventory', () => {
  it("reads a file, with the path as source and identity paths relative to the file's folder", async () => {
    const path = join(dir, 'fleet.yaml');
    await writeFile(path, 'defaults:\n  user: ops\n  identityFile: keys/dc1\nclusters:\n  lab:\n    hosts: [lab1]\n');
    const inventory = await loadInventory(path);
    expect(inventory).toEqual({
      source: path,
      targets: [
        {
          name: 'lab1',
          cluster: 'lab',
          address: 'lab1',
          port: 22,
          user: 'ops',
          roles: ['etcd', 'control-plane'],
          become: false,
          identityFiles: [join(dir, 'keys/dc1')],
        },
      ],
      writtenAt: { lab1: { file: path, line: 6, column: 13 } },
    });
  });

  it('reports a missing file as an InventoryError at line 0 with the OS reason', async () => {
    const path = join(dir, 'missing.yaml');
    const error = await rejection(loadInventory(path));
    expect(error.issues).toEqual([{ file: path, line: 0, column: 0, message: `cannot read the inventory: ENOENT: no such file or directory, open '${path}'` }]);
    expect(error.message).toBe(`${path}:0:0: cannot read the inventory: ENOENT: no such file or directory, open '${path}'`);
  });

  it('reports an empty folder given as the inventory', async () => {
    const error = await rejection(loadInventory(dir));
    expect(error.issues).toEqual([{ file: dir, line: 0, column: 0, message: 'the folder holds no inventory file' }]);
  });

  it('refuses an inventory script, which it does not run, saying how to write out its listing', async () => {
    const path = join(dir, 'ec2.py');
    await writeFile(path, '#!/usr/bin/env python3\nprint("{}")\n');
    const error = await rejection(loadInventory(path));
    expect(error.message).toBe(
      `${path}:1:1: this is an inventory script, which fleetbench does not run; write out the inventory it lists with \`ansible-inventory -i ${path} -y --list > ${join(dir, 'ec2.yaml')}\``,
    );
  });

  it('passes parse errors through with the path as given', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'clusters:\n  lab:\n    hosts: [lab1]\n    jump: bastion\n');
    const error = await rejection(loadInventory(path));
    expect(error.message).toBe(`${path}:4:5: unknown key "jump" in cluster "lab"; allowed keys: defaults, hosts`);
  });

  it('loads the shipped example: three clusters, external etcd, a single-member lab', async () => {
    const example = fileURLToPath(new URL('../../inventory/example.yaml', import.meta.url));
    const inventory = await loadInventory(example);
    const home = homedir();
    const keys = join(dirname(example), 'keys');
    expect(inventory.source).toBe(example);
    expect(
      inventory.targets.map(
        (t) => `${t.cluster} ${t.name} ${t.user}@${t.address}:${t.port} [${t.roles.join(',')}] become=${t.become} keys=${t.identityFiles.join(',')}`,
      ),
    ).toEqual([
      `prod-dc1 cp1.dc1.example.com ops@10.0.1.11:22 [etcd,control-plane] become=true keys=${home}/.ssh/fleet_ed25519`,
      `prod-dc1 cp2.dc1.example.com ops@10.0.1.12:22 [etcd,control-plane] become=true keys=${home}/.ssh/fleet_ed25519`,
      `prod-dc1 cp3.dc1.example.com ops@10.0.1.13:22 [etcd,control-plane] become=true keys=${home}/.ssh/fleet_ed25519`,
      `prod-dc2 etcd-a.dc2.example.com audit@etcd-a.dc2.example.com:2222 [etcd] become=true keys=${home}/.ssh/fleet_ed25519,${keys}/dc2_ed25519`,
      `prod-dc2 etcd-b.dc2.example.com audit@etcd-b.dc2.example.com:2222 [etcd] become=true keys=${home}/.ssh/fleet_ed25519,${keys}/dc2_ed25519`,
      `prod-dc2 etcd-c.dc2.example.com audit@etcd-c.dc2.example.com:2222 [etcd] become=true keys=${home}/.ssh/fleet_ed25519,${keys}/dc2_ed25519`,
      `prod-dc2 apiserver01.dc2.example.com audit@10.0.2.21:2222 [control-plane] become=true keys=${home}/.ssh/fleet_ed25519,${keys}/dc2_ed25519`,
      `prod-dc2 apiserver02.dc2.example.com audit@10.0.2.22:2222 [control-plane] become=true keys=${home}/.ssh/fleet_ed25519,${keys}/dc2_ed25519`,
      `prod-dc2 etcd-backup.dc2.example.com root@fd00:10:2::30:2222 [etcd] become=false keys=${keys}/dc2-backup`,
      `lab lab-master.example.com audit@lab-master.example.com:22 [etcd,control-plane] become=true keys=${home}/.ssh/fleet_ed25519`,
    ]);
  });

  it('loads the shipped kubespray INI example as its YAML form, but for the cluster named after the file', async () => {
    const read = async (name: string) => {
      const inventory = await loadInventory(fileURLToPath(new URL(`../../inventory/${name}`, import.meta.url)), {
        homeDir: '/home/tester',
        localUser: 'tester',
      });
      return inventory.targets.map((t) => ({ ...t, cluster: 'same', jump: t.jump && { ...t.jump, cluster: 'same' } }));
    };
    const yaml = await read('kubespray-hosts.yaml');
    expect(yaml).toHaveLength(6);
    expect(await read('kubespray-inventory.ini')).toEqual(yaml);
  });

  it('loads the shipped kubespray example: roles from its groups, every node through the bastion', async () => {
    const example = fileURLToPath(new URL('../../inventory/kubespray-hosts.yaml', import.meta.url));
    const inventory = await loadInventory(example, { homeDir: '/home/tester', localUser: 'tester' });
    const key = '/home/tester/.ssh/kubespray_ed25519';
    expect(inventory.source).toBe(example);
    expect(summary(inventory.targets)).toEqual([
      `kubespray-hosts node1 ubuntu@10.3.0.1:22 [etcd,control-plane] become=true keys=${key} via jump@203.0.113.10:22`,
      `kubespray-hosts node2 ubuntu@10.3.0.2:22 [etcd,control-plane,worker] become=true keys=${key} via jump@203.0.113.10:22`,
      `kubespray-hosts node3 ubuntu@10.3.0.3:22 [etcd,worker] become=true keys=${key} via jump@203.0.113.10:22`,
      `kubespray-hosts node4 ubuntu@10.3.0.4:22 [worker] become=true keys=${key} via jump@203.0.113.10:22`,
      `kubespray-hosts node5 ubuntu@10.3.0.5:22 [worker] become=true keys=${key} via jump@203.0.113.10:22`,
      `kubespray-hosts node6 ubuntu@10.3.0.6:22 [worker] become=true keys=${key} via jump@203.0.113.10:22`,
    ]);
    expect(inventory.targets[0]?.jump).toEqual({
      name: 'bastion',
      cluster: 'kubespray-hosts',
      address: '203.0.113.10',
      port: 22,
      user: 'jump',
      roles: [],
      become: false,
      identityFiles: [key],
    });
  });

  it('loads the shipped Ansible example: nested groups, ranges, group variables, jump chains', async () => {
    const example = fileURLToPath(new URL('../../inventory/ansible-example.yaml', import.meta.url));
    const inventory = await loadInventory(example, { homeDir: '/home/tester', localUser: 'tester', cwd: '/srv/ansible' });
    const fleet = '/home/tester/.ssh/fleet_ed25519';
    const dc1 = 'via jump@bastion.dc1.example.com:2222';
    const dc2 = 'via ops@gw.example.com:22 > ops@bastion.dc2.example.com:22';
    expect(summary(inventory.targets)).toEqual([
      `prod-dc1 master01.dc1.example.com audit@master01.dc1.example.com:22 [etcd,control-plane] become=true keys=${fleet} ${dc1}`,
      `prod-dc1 master02.dc1.example.com audit@master02.dc1.example.com:22 [etcd,control-plane] become=true keys=${fleet} ${dc1}`,
      `prod-dc1 master03.dc1.example.com audit@master03.dc1.example.com:22 [etcd,control-plane] become=true keys=${fleet} ${dc1}`,
      `prod-dc2 etcd1.dc2.example.com ops@etcd1.dc2.example.com:2222 [etcd] become=true keys=${fleet} ${dc2}`,
      `prod-dc2 etcd3.dc2.example.com ops@etcd3.dc2.example.com:2222 [etcd] become=true keys=${fleet} ${dc2}`,
      `prod-dc2 etcd5.dc2.example.com ops@etcd5.dc2.example.com:2222 [etcd] become=true keys=${fleet} ${dc2}`,
      `prod-dc2 api1.dc2.example.com ops@10.0.2.21:2222 [control-plane] become=true keys=${fleet} ${dc2}`,
      `prod-dc2 api2.dc2.example.com ops@10.0.2.22:2200 [control-plane] become=true keys=${fleet} ${dc2}`,
      `prod-dc2 etcd-backup.dc2.example.com root@fd00:10:2::30:2222 [etcd] become=false keys=/srv/ansible/keys/dc2-backup ${dc2}`,
      `lab lab-master.example.com audit@lab-master.example.com:22 [etcd,control-plane] become=true keys=${fleet}`,
    ]);
  });
});

describe('parseInventory: choosing the format', () => {
  const OPTS = { homeDir: '/h', localUser: 'tester' };

  function issues(text: string, file = '/srv/fleet.yaml'): string[] {
    try {
      parseInventory(text, file, OPTS);
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      return error.issues.map((issue) => `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`);
    }
    throw new Error('expected an InventoryError');
  }

  const BOTH =
    'fleetbench reads its own inventory format, with a top-level clusters: mapping (see inventory/example.yaml), and Ansible inventories: YAML, whose top-level keys are groups such as all: with hosts:, children: and vars: (see inventory/ansible-example.yaml), or INI, with [group] sections';

  it('reads a document with a top-level clusters (or defaults) key as native', () => {
    expect(parseInventory('clusters:\n  lab:\n    hosts: [lab1]\n', '/srv/fleet.yaml', OPTS).targets.map((t) => `${t.cluster}/${t.name}`)).toEqual([
      'lab/lab1',
    ]);
    expect(issues('defaults:\n  user: ops\n')).toEqual(['/srv/fleet.yaml:1:1: missing clusters: list the hosts under clusters: <cluster name>: hosts:']);
  });

  it('reads a document of groups as Ansible, whatever the top-level group is called', () => {
    expect(parseInventory('all:\n  children:\n    etcd:\n      hosts: {e1: }\n', '/srv/fleet.yaml', OPTS).targets.map((t) => `${t.cluster}/${t.name}`)).toEqual(
      ['fleet/e1'],
    );
    expect(parseInventory('etcd:\n  hosts: {e1: }\n', '/srv/fleet.yaml', OPTS).targets.map((t) => t.name)).toEqual(['e1']);
    expect(issues('all:\n')).toEqual([
      "/srv/fleet.yaml:1:1: no host to audit: no host is in an etcd, kube_control_plane or kube_node group (kubespray's groups; also kube-master and kube-node), and none sets fleetbench_roles; put the hosts in those groups, or set fleetbench_roles: [etcd, control-plane] in their vars",
    ]);
  });

  it('explains both formats for anything else', () => {
    expect(issues('# nothing yet\n')).toEqual([`/srv/fleet.yaml:1:1: the inventory is empty; ${BOTH}`]);
    expect(issues('\n- cp1\n- cp2\n')).toEqual([`/srv/fleet.yaml:2:1: the inventory must be a mapping, got a list; ${BOTH}`]);
    expect(issues('hosts:\n  - cp1\n')).toEqual([`/srv/fleet.yaml:1:1: fleetbench cannot tell which inventory format this is: ${BOTH}`]);
  });

  it('reads an Ansible INI inventory, told by its sections', () => {
    // kubespray's docs/ansible/inventory.md example.
    const ini = [
      "## Configure 'ip' variable to bind kubernetes services on a",
      '## different ip than the default iface',
      'node1 ansible_host=95.54.0.12 ip=10.3.0.1',
      'node2 ansible_host=95.54.0.13 ip=10.3.0.2',
      '',
      '[kube_control_plane]',
      'node1',
      '',
      '[k8s_cluster:children]',
      'kube_control_plane',
      '',
    ].join('\n');
    const { targets } = parseInventory(ini, 'inventory/mycluster/inventory.ini', OPTS);
    expect(targets.map((t) => `${t.cluster} ${t.name} ${t.user}@${t.address}:${t.port} [${t.roles.join(',')}]`)).toEqual([
      'inventory node1 tester@95.54.0.12:22 [control-plane]',
    ]);
  });

  it('reads INI host lines without sections, which YAML reads as text or not at all, as ungrouped hosts', () => {
    expect(parseInventory('node1 ansible_host=10.0.0.1 note="a: b" fleetbench_roles="[\'etcd\']"\n', 'hosts', OPTS).targets).toMatchObject([
      { name: 'node1', address: '10.0.0.1' },
    ]);
    expect(parseInventory('node1 ansible_host=10.0.0.2 note="a: b: c" fleetbench_roles="[\'etcd\']"\n', 'hosts', OPTS).targets).toMatchObject([
      { name: 'node1', address: '10.0.0.2' },
    ]);
    expect(parseInventory('node1 ansible_host=10.0.0.1 fleetbench_roles="[\'etcd\']"\nnode2 ansible_host=10.0.0.2\n', 'hosts', OPTS).targets).toMatchObject([
      { name: 'node1', address: '10.0.0.1', roles: ['etcd'] },
    ]);
  });

  it('says how to turn an inventory plugin configuration or a JSON listing into a YAML inventory', () => {
    expect(issues('plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n', 'aws_ec2.yml')).toEqual([
      'aws_ec2.yml:1:1: this is the configuration of an Ansible inventory plugin, which fleetbench does not run; write out the inventory it produces with `ansible-inventory -i aws_ec2.yml -y --list > aws_ec2.yaml`',
    ]);
    expect(issues('{"_meta": {"hostvars": {}}, "all": {"children": ["ungrouped"]}}\n', 'list.json')).toEqual([
      "list.json:1:1: this is Ansible's JSON listing of an inventory; fleetbench reads the YAML one: list the inventory it came from with `ansible-inventory -i <inventory> -y --list > list.yaml`",
    ]);
  });
});

function summary(targets: Target[]): string[] {
  return targets.map((t) => {
    const hops: string[] = [];
    for (let hop = t.jump; hop !== undefined; hop = hop.jump) hops.unshift(`${hop.user}@${hop.address}:${hop.port}`);
    const via = hops.length === 0 ? '' : ` via ${hops.join(' > ')}`;
    return `${t.cluster} ${t.name} ${t.user}@${t.address}:${t.port} [${t.roles.join(',')}] become=${t.become} keys=${t.identityFiles.join(',')}${via}`;
  });
}
