import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryError } from '../../../src/inventory/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';

// kubespray keeps an inventory as hosts.yaml beside group_vars/ and host_vars/, which Ansible
// reads with it: the connection settings may live in either.
describe('Ansible inventory with group_vars/ and host_vars/', () => {
  let dir: string;
  const write = async (path: string, ...lines: string[]) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), `${lines.join('\n')}\n`);
  };
  const load = () => loadInventory(join(dir, 'hosts.yaml'), { homeDir: '/home/me', localUser: 'me' });
  const issues = async () => {
    try {
      await load();
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      return error.issues.map((i) => `${i.file.slice(dir.length + 1)}:${i.line}: ${i.message}`);
    }
    throw new Error('expected an InventoryError');
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetbench-group-vars-'));
    await write(
      'hosts.yaml',
      'all:',
      '  hosts:',
      '    node1: {ansible_host: 10.3.0.1}',
      '    node2: {ansible_host: 10.3.0.2, ansible_port: 2200}',
      '    node3.example.com:',
      '  vars: {ansible_user: from-inventory-all, ansible_port: 2022}',
      '  children:',
      '    kube_control_plane: {hosts: {node1: , node2: }}',
      '    etcd: {hosts: {node1: , node2: , node3.example.com: }, vars: {ansible_become: false}}',
    );
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('layers them as Ansible does: inventory all, group_vars/all, inventory groups, group_vars files, host, host_vars', async () => {
    await write('group_vars/all/all.yml', 'ansible_user: ubuntu', 'ansible_port: 2023', 'ansible_ssh_private_key_file: /keys/fleet');
    await write('group_vars/all/zz-overrides.yaml', 'ansible_port: 2024');
    await write('group_vars/etcd.yml', 'ansible_become: true');
    await write('group_vars/k8s_cluster/k8s-cluster.yml', 'cluster_name: cluster.local', 'ansible_user: not-a-group-of-these-hosts');
    await write('host_vars/node2.yaml', 'ansible_port: 2201');
    await write('host_vars/node3.example.com', 'ansible_host: 10.3.0.3', 'ansible_user: admin');
    await write('group_vars/README.md', 'not: [variables');
    const { targets } = await load();
    expect(targets.map((t) => `${t.name} ${t.user}@${t.address}:${t.port} become=${t.become} keys=${t.identityFiles.join(',')}`)).toEqual([
      // group_vars/all beats the inventory's all: vars; the later file of a directory wins.
      'node1 ubuntu@10.3.0.1:2024 become=true keys=/keys/fleet',
      // The inventory's host variable beats every group's; host_vars/ beats it.
      'node2 ubuntu@10.3.0.2:2201 become=true keys=/keys/fleet',
      'node3.example.com admin@10.3.0.3:2024 become=true keys=/keys/fleet',
    ]);
  });

  it('keeps dedicated etcd hosts in the cluster kubespray names in group_vars/k8s_cluster, which they are not in', async () => {
    await write(
      'hosts.yaml',
      'all:',
      '  hosts:',
      '    cp1: {ansible_host: 10.3.0.1}',
      '    cp2: {ansible_host: 10.3.0.2}',
      '    etcd1: {ansible_host: 10.3.0.11}',
      '  children:',
      '    kube_control_plane: {hosts: {cp1: , cp2: }}',
      '    etcd: {hosts: {etcd1: }}',
      '    k8s_cluster: {children: {kube_control_plane: }}',
    );
    await write('group_vars/k8s_cluster/k8s-cluster.yml', 'cluster_name: prod.example');
    expect((await load()).targets.map((t) => `${t.name}:${t.cluster}`)).toEqual(['cp1:prod.example', 'cp2:prod.example', 'etcd1:prod.example']);
    // Two names in one inventory: hosts that name none keep the file's name.
    await write('host_vars/cp1.yml', 'fleetbench_cluster: other');
    expect((await load()).targets.map((t) => `${t.name}:${t.cluster}`)).toEqual(['cp1:other', 'cp2:prod.example', 'etcd1:hosts']);
  });

  it("reports a problem in a variables file at its own file and line, together with the inventory's", async () => {
    await write('group_vars/all.yml', '# fleet defaults', 'ansible_port: ssh');
    await write('host_vars/node1.yml', '- ansible_user: ops');
    expect(await issues()).toEqual([
      // node2 sets its own port in the inventory, so the wrong one is not its problem.
      'group_vars/all.yml:2: ansible_port must be a whole number from 1 to 65535, got the text "ssh" (set in group "all", for hosts node1, node3.example.com)',
      'host_vars/node1.yml:1: the variables of host "node1" must be a mapping of variable names to values (ansible_user: ops), got a list',
    ]);
  });

  it('passes over vault-encrypted files with a note, and files of groups the inventory does not have', async () => {
    await write('group_vars/all/vault.yml', '$ANSIBLE_VAULT;1.1;AES256', '6162636465');
    await write('group_vars/calico_rr.yml', 'this is: [not valid');
    const inventory = await load();
    expect(inventory.targets[0]).toMatchObject({ user: 'from-inventory-all', port: 2022 });
    expect(inventory.warnings).toEqual([
      `${join(dir, 'group_vars/all/vault.yml')}: encrypted with Ansible Vault, which fleetbench cannot decrypt; the variables of group "all" in it are not read`,
    ]);
  });

  it('reads them beside an INI inventory too', async () => {
    await write('inventory.ini', '[kube_control_plane]', 'cp1 ansible_host=10.3.0.1', '[etcd:children]', 'kube_control_plane');
    await write('group_vars/all/all.yml', 'ansible_user: ubuntu', 'ansible_become: true');
    const { targets } = await loadInventory(join(dir, 'inventory.ini'), { homeDir: '/home/me', localUser: 'me' });
    expect(targets.map((t) => `${t.name} ${t.user}@${t.address} [${t.roles.join(',')}] become=${t.become}`)).toEqual([
      'cp1 ubuntu@10.3.0.1 [etcd,control-plane] become=true',
    ]);
  });

  it('says which file of a group could not be read', async () => {
    // A dangling link: unreadable even for root, who reads files whatever their mode.
    await mkdir(join(dir, 'group_vars'));
    await symlink(join(dir, 'gone.yml'), join(dir, 'group_vars/etcd.yml'));
    expect(await issues()).toEqual([expect.stringMatching(/^group_vars\/etcd\.yml:0: cannot read the variables of group "etcd": ENOENT/)]);
  });
});
