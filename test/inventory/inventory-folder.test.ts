import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryError } from '../../src/inventory/errors.js';
import { loadInventories, loadInventory } from '../../src/inventory/load.js';

const OPTS = { homeDir: '/home/tester', localUser: 'tester' };

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetbench-folder-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function files(entries: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(entries)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

async function problems(promise: Promise<unknown>): Promise<string[]> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InventoryError);
  return (error as InventoryError).issues.map((i) => `${i.file.slice(dir.length + 1)}:${i.line}:${i.column}: ${i.message}`);
}

describe('an inventory folder (-i DIR), read as Ansible reads one', () => {
  it('makes one inventory of its files, with the folder group_vars and host_vars, passing over what Ansible passes over', async () => {
    await files({
      // Hosts in one file, their groups in another: Ansible joins them.
      '10-hosts.yml': 'all:\n  hosts:\n    node1: {ansible_host: 10.0.0.1}\n    node2: {ansible_host: 10.0.0.2}\n    node3: {ansible_host: 10.0.0.3}\n',
      '20-groups.ini': '[etcd]\nnode1\nnode2\n[kube_control_plane]\nnode1\n[kube_node]\nnode3\n[k8s_cluster:children]\nkube_control_plane\nkube_node\n',
      'group_vars/all.yml': 'ansible_user: ops\nfleetbench_cluster: prod\n',
      'group_vars/etcd/main.yml': 'ansible_become: true\n',
      'host_vars/node2.yml': 'ansible_port: 2222\n',
      // Ansible skips these by name or extension...
      'README.md': '# how we run kubespray\n',
      '.editor.yml': 'all: {hosts: {ghost: {fleetbench_roles: [etcd]}}}\n',
      '10-hosts.yml.orig': 'all: {hosts: {ghost: {fleetbench_roles: [etcd]}}}\n',
      'ansible.cfg': '[defaults]\nforks = 50\n',
      // ... and warns about files that are no inventory, such as kubespray's kubeconfig.
      'artifacts/admin.conf': 'apiVersion: v1\nkind: Config\nclusters:\n- name: cluster.local\n',
    });
    const inventory = await loadInventory(dir, OPTS);
    expect(inventory.source).toBe(dir);
    expect(inventory.targets.map((t) => `${t.cluster} ${t.name} ${t.user}@${t.address}:${t.port} [${t.roles.join(',')}] become=${t.become}`)).toEqual([
      'prod node1 ops@10.0.0.1:22 [etcd,control-plane] become=true',
      'prod node2 ops@10.0.0.2:2222 [etcd] become=true',
      'prod node3 ops@10.0.0.3:22 [worker] become=false',
    ]);
    expect(inventory.warnings).toEqual([
      `${join(dir, 'artifacts/admin.conf')}: not an inventory (this is a Kubernetes object, not an inventory); passed over, as Ansible passes it over`,
    ]);
    expect(inventory.groups).toMatchObject({ etcd: ['node1', 'node2'], k8s_cluster: ['node1', 'node3'], all: ['node1', 'node2', 'node3'] });
    expect(inventory.writtenAt?.node2).toEqual({ file: join(dir, '10-hosts.yml'), line: 4, column: 5 });
  });

  it('reads subfolders, and a link back up the tree once', async () => {
    await files({ 'dc1/hosts.ini': '[etcd]\na1 ansible_host=10.1.0.1\n' });
    await symlink(dir, join(dir, 'dc1', 'loop'));
    expect((await loadInventory(dir, OPTS)).targets.map((t) => `${t.cluster}/${t.name}`)).toEqual(['hosts/a1']);
  });

  it('puts hosts that name no cluster in the cluster of the file that lists them, as when each file is given alone', async () => {
    await files({
      'dc1.ini': '[etcd]\na1 ansible_host=10.1.0.1\n',
      'dc2.ini': '[etcd]\nb1 ansible_host=10.2.0.1\n',
    });
    expect((await loadInventory(dir, OPTS)).targets.map((t) => `${t.cluster}/${t.name}`)).toEqual(['dc1/a1', 'dc2/b1']);
  });

  it('refuses two files that give a variable of one host different values, naming both places, and accepts the same value twice', async () => {
    await files({
      'a.yml': 'etcd:\n  hosts:\n    node1: {ansible_host: 10.0.0.1}\n',
      'b.ini': '[etcd]\nnode1 ansible_host=10.0.0.9\n',
    });
    expect(await problems(loadInventory(dir, OPTS))).toEqual([
      'b.ini:2:20: ansible_host of host "node1" is "10.0.0.9" here and "10.0.0.1" at ' +
        `${join(dir, 'a.yml')}:3:27; the files of one inventory must agree on it (Ansible would keep whichever it reads last): remove one`,
    ]);
    await writeFile(join(dir, 'b.ini'), '[etcd]\nnode1 ansible_host=10.0.0.1\n');
    expect((await loadInventory(dir, OPTS)).targets.map((t) => t.address)).toEqual(['10.0.0.1']);
  });

  it('reads a native inventory in the folder on its own, and joins its hosts', async () => {
    await files({
      'ansible.yml': 'etcd:\n  hosts:\n    node1: {ansible_host: 10.0.0.1, ansible_user: ops}\n',
      'native.yaml': 'defaults: {user: ops}\nclusters:\n  lab:\n    hosts: [lab1]\n',
    });
    expect((await loadInventory(dir, OPTS)).targets.map((t) => `${t.cluster}/${t.name}`)).toEqual(['lab/lab1', 'ansible/node1']);
  });

  it('reports a broken inventory file and an inventory script, and notes a file that is neither YAML nor INI', async () => {
    await files({
      'hosts.yml': 'etcd:\n  hosts: [node1\n',
      'ec2.py': '#!/usr/bin/env python3\nprint("{}")\n',
      Makefile: 'lint:\n\t@echo "x: [y"\n',
    });
    const found = await problems(loadInventory(dir, OPTS));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^ec2\.py:1:1: this is an inventory script, which fleetbench does not run; .* and move the script out of /);
    expect(found[1]).toMatch(/^hosts\.yml:\d+:\d+: invalid YAML/);
    await rm(join(dir, 'hosts.yml'));
    await rm(join(dir, 'ec2.py'));
    expect(await problems(loadInventory(dir, OPTS))).toEqual([
      `:0:0: the folder holds no inventory file; passed over:\n  ${join(dir, 'Makefile')}: not an inventory (neither YAML nor INI); passed over, as Ansible passes it over`,
    ]);
  });
});

describe('several inventories (-i a -i b)', () => {
  const KUBESPRAY_DC1 = '[etcd]\ncp2\ncp9\n[kube_control_plane]\ncp2\ncp9\n[all:vars]\nansible_user=ops\nfleetbench_cluster=dc1\n';

  it('scans the union of their hosts; a host written the same way in both is one host', async () => {
    await files({ 'a.yaml': 'defaults: {user: ops}\nclusters:\n  dc1:\n    hosts: [cp1, cp2]\n', 'b.ini': KUBESPRAY_DC1 });
    const inventory = await loadInventories([join(dir, 'a.yaml'), join(dir, 'b.ini')], OPTS);
    expect(inventory.source).toBe(`${join(dir, 'a.yaml')}, ${join(dir, 'b.ini')}`);
    expect(inventory.targets.map((t) => `${t.cluster}/${t.name}`)).toEqual(['dc1/cp1', 'dc1/cp2', 'dc1/cp9']);
    expect(inventory.groups?.etcd).toEqual(['cp2', 'cp9']);
  });

  it('refuses a host written two ways, naming both places and what differs', async () => {
    await files({
      'a.yaml': 'defaults: {user: ops}\nclusters:\n  dc1:\n    hosts: [cp1, cp2]\n',
      'b.ini': KUBESPRAY_DC1.replace('cp2\ncp9\n[kube', 'cp2 ansible_host=10.9.9.9\ncp9\n[kube'),
      'c.yaml': 'defaults: {user: ops}\nclusters:\n  dc1:\n    hosts: [CP1]\n',
    });
    expect(await problems(loadInventories([join(dir, 'a.yaml'), join(dir, 'b.ini'), join(dir, 'c.yaml')], OPTS))).toEqual([
      `b.ini:2:1: host "cp2" is also at ${join(dir, 'a.yaml')}:4:18, with other settings (address "cp2" there, "10.9.9.9" here); write it the same way in both, or leave it out of one`,
      `c.yaml:4:13: host "CP1" is also at ${join(dir, 'a.yaml')}:4:13, with other settings (it is spelled "cp1" there); write it the same way in both, or leave it out of one`,
    ]);
  });

  it('shows a differing ProxyCommand as its command', async () => {
    await files({ 'a.ini': KUBESPRAY_DC1, 'b.ini': KUBESPRAY_DC1.replace('cp9\n[kube', 'cp9 ansible_ssh_common_args=\'-o ProxyCommand="nc %h %p"\'\n[kube') });
    const found = await problems(loadInventories([join(dir, 'a.ini'), join(dir, 'b.ini')], OPTS));
    expect(found).toEqual([expect.stringContaining('with other settings (proxyCommand unset there, "nc cp9 22" here)')]);
  });

  it('reports the problems of every inventory at once', async () => {
    await files({ 'a.yaml': 'clusters:\n  dc1:\n    hosts: [cp1]\n    port: 22\n', 'b.yaml': 'clusters: []\n' });
    const found = await problems(loadInventories([join(dir, 'a.yaml'), join(dir, 'b.yaml')], OPTS));
    expect(found.map((line) => line.split(':')[0])).toEqual(['a.yaml', 'b.yaml']);
  });
});
