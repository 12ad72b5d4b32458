import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNativeInventory } from '../../src/inventory/native.js';
import { loadSshConfig } from '../../src/inventory/ssh-config.js';
import type { SshConfig } from '../../src/inventory/ssh-config.js';

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
        '  ProxyJump jump@gw.dc1',
        '  IdentityFile ~/.ssh/dc1',
        '  UserKnownHostsFile ~/.ssh/known_dc1',
        '  StrictHostKeyChecking accept-new',
        '  ProxyCommand nc %h %p',
      ].join('\n'),
    );
    sshConfig = await loadSshConfig(join(home, '.ssh', 'config'), { home, localUser: 'me' });
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('fills in what the inventory leaves out, and the inventory wins where it speaks', () => {
    const inventory = parseNativeInventory(
      ['clusters:', '  dc1:', '    hosts:', '      - name: cp1.dc1', '      - name: cp2.dc1', '        user: audit', '        address: 10.0.1.12'].join('\n'),
      join(home, 'fleet.yaml'),
      { homeDir: home, localUser: 'me', sshConfig },
    );
    const [cp1, cp2] = inventory.targets;
    expect(cp1).toMatchObject({
      address: 'cp1.dc1.internal',
      port: 2222,
      user: 'ops',
      identityFiles: [join(home, '.ssh', 'dc1')],
      knownHostsFiles: [join(home, '.ssh', 'known_dc1')],
      acceptNewHostKey: true,
      jump: { address: 'gw.dc1', user: 'jump', port: 22 },
    });
    expect(cp2).toMatchObject({ address: '10.0.1.12', user: 'audit', port: 2222 });
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
      { homeDir: home, localUser: 'me', sshConfig, user: 'cli' },
    );
    expect(withUser.targets.map((t) => `${t.name} ${t.user}${t.jump ? ` via ${t.jump.user}@${t.jump.address}` : ''}`)).toEqual([
      'cp1.dc1 cli via jump@gw.dc1',
      'cp2.dc1 audit via jump@gw.dc1',
      'lab cli via me@gw',
    ]);
    expect(inventory.warnings).toEqual([
      `${join(home, '.ssh', 'config')}: for cp1.dc1: ignored ProxyCommand nc %h %p (fleetbench never runs commands from ssh_config; use ProxyJump)`,
      `${join(home, '.ssh', 'config')}: for cp2.dc1: ignored ProxyCommand nc %h %p (fleetbench never runs commands from ssh_config; use ProxyJump)`,
    ]);
  });
});
