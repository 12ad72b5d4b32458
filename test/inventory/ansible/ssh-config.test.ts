import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryError } from '../../../src/inventory/errors.js';
import { parseAnsibleInventory } from '../../../src/inventory/ansible/inventory.js';
import { loadSshConfig } from '../../../src/inventory/ssh-config-file.js';
import type { SshConfig } from '../../../src/inventory/ssh-config-file.js';

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
        '  ProxyJump bastion-dc1',
        '  IdentityFile ~/.ssh/dc1',
        '  UserKnownHostsFile ~/.ssh/known_dc1',
        '  StrictHostKeyChecking accept-new',
        'Host bastion-dc1',
        '  HostName 203.0.113.10',
        '  User jump',
        '  IdentityFile ~/.ssh/bastion',
        'Host cp-alias',
        '  HostName 10.0.2.5',
        'Host 10.0.3.*',
        '  ProxyJump gw.dc3',
        'Host i-*',
        '  ProxyCommand sh -c "aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p"',
        '  User ec2-user',
      ),
    );
    sshConfig = await loadSshConfig(join(home, '.ssh', 'config'), { home, env: {} });
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  const options = (localUser = 'me') => ({ homeDir: home, localUser, sshConfig, cwd: '/srv/ansible', env: {} });
  const read = (text: string, localUser = 'me') => parseAnsibleInventory(text, join(home, 'hosts.yaml'), options(localUser));
  const problems = (text: string, localUser = 'me') => {
    try {
      read(text, localUser);
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      return error.issues.map((i) => `${i.line}: ${i.message}`);
    }
    throw new Error('expected an InventoryError');
  };

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
      // ProxyJump bastion-dc1 is an alias: ssh -W reaches it with its own HostName, User and key.
      jump: { name: 'bastion-dc1', address: '203.0.113.10', user: 'jump', port: 22, identityFiles: [join(home, '.ssh', 'bastion')] },
    });
    // Variables win where they speak, as ssh's command line beats its config; IdentityFile adds up.
    expect(node2).toMatchObject({
      address: '10.0.1.12',
      port: 22,
      user: 'audit',
      identityFiles: [join(home, '.ssh', 'own'), join(home, '.ssh', 'dc1')],
      jump: { address: '203.0.113.10' },
    });
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
      { ...options(), user: 'cli' },
    );
    expect(withUser.targets.map((t) => `${t.name} ${t.user} via ${t.jump?.user}`)).toEqual(['node1 cli via jump', 'node2 audit via jump']);
  });

  it("lets the host's own -J, ProxyCommand and kubespray's bastion beat ssh_config, and runs ssh_config's ProxyCommand", () => {
    const inventory = read(
      lines(
        'all:',
        '  hosts:',
        '    node1: {ansible_host: 10.0.1.11, ansible_ssh_common_args: "-J own@hop"}',
        `    node2: {ansible_host: 10.0.1.12, ansible_ssh_extra_args: "-o 'ProxyCommand=nc -X connect -x proxy:3128 %h %p'"}`,
        '    node3: {ansible_host: 10.0.3.13}',
        '    node4: {ansible_host: i-0abc123, ansible_become: true}',
        '  children:',
        '    etcd: {hosts: {node1: , node2: , node3: , node4: }}',
      ),
    );
    const [node1, node2, node3, node4] = inventory.targets;
    expect(node1?.jump).toMatchObject({ user: 'own', address: 'hop' });
    expect(node2).toMatchObject({ port: 2222, user: 'ops', proxyCommand: { command: 'nc -X connect -x proxy:3128 10.0.1.12 2222', shell: '/bin/sh' } });
    expect(node2?.jump).toBeUndefined();
    expect(node3?.jump).toMatchObject({ user: 'me', address: 'gw.dc3' });
    expect(node4).toMatchObject({
      address: 'i-0abc123',
      user: 'ec2-user',
      become: true,
      proxyCommand: {
        command: 'sh -c "aws ssm start-session --target i-0abc123 --document-name AWS-StartSSHSession --parameters portNumber=22"',
        shell: '/bin/sh',
      },
    });
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
    expect(
      problems(lines('all:', '  hosts:', '    node3: {ansible_host: 10.0.3.13, ansible_user: ops}', '  children:', '    etcd: {hosts: {node3: }}'), '9bad'),
    ).toEqual([
      '3: jump host "gw.dc3" names no user, and the local user name "9bad", used instead, is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-"); write it as user@gw.dc3 or give it a User in ssh_config',
    ]);
  });

  it('becomes root with sudo only, and refuses su or another become_user instead of claiming sudo', () => {
    const inventory = read(
      lines(
        'all:',
        '  vars: {ansible_become: true}',
        '  hosts:',
        '    sudo1: {ansible_user: ops, ansible_become_method: sudo, ansible_become_user: root}',
        '    rootsu: {ansible_user: root, ansible_become_method: su}',
        '    plain: {ansible_user: ops, ansible_become: false, ansible_become_method: su}',
        '  children:',
        '    etcd: {hosts: {sudo1: , rootsu: , plain: }}',
      ),
    );
    // A root login needs no become; a host that does not become ignores the method, as Ansible does.
    expect(inventory.targets.map((t) => `${t.name} ${t.user} become=${t.become}`)).toEqual([
      'sudo1 ops become=true',
      'rootsu root become=false',
      'plain ops become=false',
    ]);
    expect(
      problems(
        lines(
          'all:',
          '  vars: {ansible_become: true}',
          '  children:',
          '    legacy:',
          '      vars: {ansible_become_method: su}',
          '      hosts: {old1: {ansible_user: ops}, old2: {ansible_user: ops}}',
          '    etcd:',
          '      hosts:',
          '        app1: {ansible_user: ops, ansible_become_user: postgres}',
          '        app2: {ansible_user: ops, ansible_sudo_user: etcd}',
          '      children: {legacy: }',
        ),
      ),
    ).toEqual([
      '5: ansible_become_method is "su", but fleetbench becomes root with sudo -n only (su wants a password on a terminal, and fleetbench never opens one); give ops sudo rights and set ansible_become_method: sudo, log in as root, or leave the hosts out of the audit with fleetbench_roles: [] (set in group "legacy", for hosts old1, old2)',
      '9: ansible_become_user is "postgres", but the probe must run as root and fleetbench becomes nobody else; set it to root (or leave it unset), or leave the hosts out of the audit with fleetbench_roles: [] (for host app1)',
      '10: ansible_sudo_user is "etcd", but the probe must run as root and fleetbench becomes nobody else; set it to root (or leave it unset), or leave the hosts out of the audit with fleetbench_roles: [] (for host app2)',
    ]);
  });

  it("takes a relative ansible_ssh_private_key_file from the current directory, as Ansible's ssh does", () => {
    const inventory = read(lines('all:', '  hosts:', '    a: {ansible_ssh_private_key_file: keys/a.pem}', '  children:', '    etcd: {hosts: {a: }}'));
    expect(inventory.targets[0]?.identityFiles).toEqual(['/srv/ansible/keys/a.pem']);
  });
});
