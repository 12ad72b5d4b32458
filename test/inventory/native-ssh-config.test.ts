import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNativeInventory } from '../../src/inventory/native.js';
import { loadSshConfig } from '../../src/inventory/ssh-config-file.js';
import type { SshConfig } from '../../src/inventory/ssh-config-file.js';

describe('native inventory with ~/.ssh/config', () => {
  let home: string;
  let sshConfig: SshConfig;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'fleetbench-inv-sshcfg-'));
    await mkdir(join(home, '.ssh'));
    await writeFile(
      join(home, '.ssh', 'config'),
      [
        'Host cp*.dc1',
        '  HostName %h.internal',
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
        'Host tunnel*',
        '  ProxyCommand cloudflared access ssh --hostname %h',
        '  IdentitiesOnly yes',
        '  IdentityAgent none',
        '  Match exec "false"',
      ].join('\n'),
    );
    sshConfig = await loadSshConfig(join(home, '.ssh', 'config'), { home, env: {} });
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  const opts = () => ({ homeDir: home, localUser: 'me', sshConfig, env: { SHELL: '/bin/zsh' } });

  it('fills in what the inventory leaves out, and the inventory wins where it speaks', () => {
    const inventory = parseNativeInventory(
      [
        'clusters:',
        '  dc1:',
        '    hosts:',
        '      - name: cp1.dc1',
        '      - name: cp2.dc1',
        '        user: audit',
        '        address: 10.0.1.12',
        '        identityFile: /keys/cp2',
      ].join('\n'),
      join(home, 'fleet.yaml'),
      opts(),
    );
    const [cp1, cp2] = inventory.targets;
    expect(cp1).toMatchObject({
      address: 'cp1.dc1.internal',
      port: 2222,
      user: 'ops',
      identityFiles: [join(home, '.ssh', 'dc1')],
      knownHostsFiles: [join(home, '.ssh', 'known_dc1')],
      acceptNewHostKey: true,
      // The jump host is looked up in ssh_config too, with its own user and key.
      jump: { name: 'bastion-dc1', address: '203.0.113.10', user: 'jump', port: 22, identityFiles: [join(home, '.ssh', 'bastion')] },
    });
    // The inventory's key comes first, as ssh -i does; ssh_config's IdentityFile adds to it.
    expect(cp2).toMatchObject({ address: '10.0.1.12', user: 'audit', port: 2222, identityFiles: ['/keys/cp2', join(home, '.ssh', 'dc1')] });
    // --user sits above ssh_config's User and below the inventory's; jump hosts keep their own.
    const withUser = parseNativeInventory(
      [
        'clusters:',
        '  dc1:',
        '    hosts:',
        '      - name: cp1.dc1',
        '      - name: cp2.dc1',
        '        user: audit',
        '      - name: lab',
        '        jump: gw',
      ].join('\n'),
      join(home, 'fleet.yaml'),
      { ...opts(), user: 'cli' },
    );
    expect(withUser.targets.map((t) => `${t.name} ${t.user}${t.jump ? ` via ${t.jump.user}@${t.jump.address}` : ''}`)).toEqual([
      'cp1.dc1 cli via jump@203.0.113.10',
      'cp2.dc1 audit via jump@203.0.113.10',
      'lab cli via me@gw',
    ]);
  });

  it('runs a ProxyCommand through $SHELL, honours IdentitiesOnly and IdentityAgent, and says what it ignores', () => {
    const inventory = parseNativeInventory(
      ['clusters:', '  edge:', '    hosts:', '      - name: tunnel1', '        user: ops'].join('\n'),
      join(home, 'fleet.yaml'),
      opts(),
    );
    expect(inventory.targets[0]).toMatchObject({
      address: 'tunnel1',
      proxyCommand: { command: 'cloudflared access ssh --hostname tunnel1', shell: '/bin/zsh' },
      identitiesOnly: true,
      identityAgent: 'none',
    });
    expect(inventory.targets[0]?.jump).toBeUndefined();
    expect(inventory.warnings).toEqual([
      `${join(home, '.ssh', 'config')}: for tunnel1: ignored Match exec false at ${join(home, '.ssh', 'config')} line 17 (never run: taken as failing, so exec does not match and !exec does)`,
    ]);
  });
});
