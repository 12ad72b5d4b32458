import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryError } from '../../../src/inventory/errors.js';
import { parseAnsibleInventory } from '../../../src/inventory/ansible/inventory.js';
import { loadSshConfig } from '../../../src/inventory/ssh-config.js';
import type { SshConfig } from '../../../src/inventory/ssh-config.js';

// Ansible's ssh connection runs OpenSSH, which reads ~/.ssh/config: what Ansible reaches, with
// which user, key and jump host, depends on it as much as on the inventory's variables.
describe('Ansible inventory with ~/.ssh/config', () => {
  let home: string;
  let sshConfig: SshConfig;
  const lines = (...text: string[]) => `${text.join('\n')}\n`;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'fleetbench-ansible-sshcfg-'));
    await mkdir(join(home, '.ssh'));
    await writeFile(
      join(home, '.ssh', 'config'),
      lines(
        'Host 10.0.1.*',
        '  User ops',
        '  Port 2222',
        '  ProxyJump jump@gw.dc1',
        '  IdentityFile ~/.ssh/dc1',
        '  UserKnownHostsFile ~/.ssh/known_dc1',
        '  StrictHostKeyChecking accept-new',
        'Host cp-alias',
        '  HostName 10.0.2.5',
        'Host 10.0.3.*',
        '  ProxyJump gw.dc3',
        '  ProxyCommand nc %h %p',
      ),
    );
    sshConfig = await loadSshConfig(join(home, '.ssh', 'config'), { home, localUser: 'me' });
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  const read = (text: string, localUser = 'me') => parseAnsibleInventory(text, join(home, 'hosts.yaml'), { homeDir: home, localUser, sshConfig });

  it('fills in what the host variables leave out, matched on the address Ansible hands ssh', () => {
    const inventory = read(
      lines(
        'all:',
        '  hosts:',
        '    node1: {ansible_host: 10.0.1.11}',
        '    node2: {ansible_host: 10.0.1.12, ansible_user: audit, ansible_port: 22, ansible_ssh_private_key_file: ~/.ssh/own}',
        '    cp-alias:',
        '  children:',
        '    etcd: {hosts: {node1: , node2: , cp-alias: }}',
      ),
    );
    const [node1, node2, alias] = inventory.targets;
    expect(node1).toMatchObject({
      address: '10.0.1.11',
      port: 2222,
      user: 'ops',
      identityFiles: [join(home, '.ssh', 'dc1')],
      knownHostsFiles: [join(home, '.ssh', 'known_dc1')],
      acceptNewHostKey: true,
      jump: { address: 'gw.dc1', user: 'jump', port: 22, identityFiles: [] },
    });
    // Variables win where they speak, as ssh's command line beats its config.
    expect(node2).toMatchObject({ address: '10.0.1.12', port: 22, user: 'audit', identityFiles: [join(home, '.ssh', 'own')], jump: { address: 'gw.dc1' } });
    // An alias is resolved by HostName; nothing else matched, so the local user and port 22.
    expect(alias).toMatchObject({ name: 'cp-alias', address: '10.0.2.5', port: 22, user: 'me' });
    expect(alias?.jump).toBeUndefined();
    expect(inventory.warnings).toBeUndefined();
    // --user (ansible -u) sits above ssh_config's User and below ansible_user.
    const withUser = parseAnsibleInventory(
      lines(
        'all:',
        '  hosts:',
        '    node1: {ansible_host: 10.0.1.11}',
        '    node2: {ansible_host: 10.0.1.12, ansible_user: audit}',
        '  children:',
        '    etcd: {hosts: {node1: , node2: }}',
      ),
      join(home, 'hosts.yaml'),
      { homeDir: home, localUser: 'me', sshConfig, user: 'cli' },
    );
    expect(withUser.targets.map((t) => `${t.name} ${t.user} via ${t.jump?.user}`)).toEqual(['node1 cli via jump', 'node2 audit via jump']);
  });

  it("lets the host's own -J and kubespray's bastion beat ProxyJump, and notes what it ignores", () => {
    const inventory = read(
      lines(
        'all:',
        '  hosts:',
        '    node1: {ansible_host: 10.0.1.11, ansible_ssh_common_args: "-J own@hop"}',
        '    node3: {ansible_host: 10.0.3.13}',
        '  children:',
        '    etcd: {hosts: {node1: , node3: }}',
      ),
    );
    expect(inventory.targets.map((t) => `${t.name} via ${t.jump?.user}@${t.jump?.address}`)).toEqual(['node1 via own@hop', 'node3 via me@gw.dc3']);
    expect(inventory.warnings).toEqual([
      `${join(home, '.ssh', 'config')}: for 10.0.3.13: ignored ProxyCommand nc %h %p (fleetbench never runs commands from ssh_config; use ProxyJump)`,
    ]);
    const behindBastion = read(
      lines(
        'all:',
        '  hosts:',
        '    node1: {ansible_host: 10.0.1.11}',
        '    bastion: {ansible_host: 203.0.113.10, ansible_user: gate}',
        '  children:',
        '    etcd: {hosts: {node1: }}',
        '    bastion: {hosts: {bastion: }}',
      ),
    );
    expect(behindBastion.targets.find((t) => t.name === 'node1')?.jump).toMatchObject({ address: '203.0.113.10', user: 'gate' });
  });

  it('reports a jump host without a user at the host when the local user name cannot be used', () => {
    try {
      read(lines('all:', '  hosts:', '    node3: {ansible_host: 10.0.3.13, ansible_user: ops}', '  children:', '    etcd: {hosts: {node3: }}'), '9bad');
      throw new Error('expected an InventoryError');
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      expect(error.issues.map((i) => `${i.line}: ${i.message}`)).toEqual([
        `3: ProxyJump for "node3" in ${join(home, '.ssh', 'config')}: jump host "gw.dc3" names no user, and the local user name "9bad", used instead, is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-"); write it as user@gw.dc3`,
      ]);
    }
  });
});
