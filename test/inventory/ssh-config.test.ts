import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostMatches, loadSshConfig } from '../../src/inventory/ssh-config.js';

describe('ssh_config', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'fleetbench-sshcfg-'));
    await mkdir(join(home, '.ssh', 'config.d'), { recursive: true });
    await writeFile(
      join(home, '.ssh', 'config'),
      [
        'Include config.d/*.conf',
        'Host bastion',
        '  HostName 203.0.113.10',
        '  User jump',
        'Host cp* !cp9',
        '  ProxyJump bastion',
        '  IdentityFile ~/.ssh/fleet_%r',
        '  UserKnownHostsFile ~/.ssh/known_fleet /etc/ssh/known_fleet',
        '  StrictHostKeyChecking accept-new',
        `Match exec "touch ${join(home, 'pwned')}" host cp1`,
        '  User evil',
        'Host cp1',
        '  ProxyCommand nc %h %p',
        '  Port 2201',
        'Host *',
        '  User audit',
        '  Port 22',
        '  IdentityFile ~/.ssh/id_ed25519',
      ].join('\n'),
    );
    await writeFile(join(home, '.ssh', 'config.d', '10-dc1.conf'), 'Host cp2\n  HostName 10.0.1.12\n  Port 2222\n');
    // Not *.conf to glob(3): another case, and a hidden file (an editor's swap file, say).
    await writeFile(join(home, '.ssh', 'config.d', '20-old.CONF'), 'Host cp2\n  User old\n');
    await writeFile(join(home, '.ssh', 'config.d', '.05-draft.conf'), 'Host cp2\n  User draft\n');
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('resolves a host as ssh does: first value wins, identities accumulate, includes inlined where they stand', async () => {
    const config = await loadSshConfig(join(home, '.ssh', 'config'), { home, localUser: 'me' });
    const cp2 = config.lookup('cp2', { home, localUser: 'me' });
    expect(cp2).toEqual({
      hostName: '10.0.1.12',
      port: 2222,
      user: 'audit',
      proxyJump: 'bastion',
      identityFiles: [join(home, '.ssh', 'fleet_me'), join(home, '.ssh', 'id_ed25519')],
      userKnownHostsFiles: [join(home, '.ssh', 'known_fleet'), '/etc/ssh/known_fleet'],
      strictHostKeyChecking: 'accept-new',
      ignored: [expect.stringMatching(/^Match exec .* \(never run: treated as not matching\)$/)],
    });
    expect(config.lookup('cp9', { home, localUser: 'me' }).proxyJump).toBeUndefined();
  });

  it('never runs Match exec or ProxyCommand, and says that it ignored them', async () => {
    const config = await loadSshConfig(join(home, '.ssh', 'config'), { home, localUser: 'me' });
    const cp1 = config.lookup('cp1', { home, localUser: 'me' });
    expect(cp1.user).toBe('audit');
    expect(cp1.port).toBe(2201);
    expect(cp1.ignored.join('\n')).toMatch(/ProxyCommand nc %h %p \(fleetbench never runs commands from ssh_config; use ProxyJump\)/);
    expect(existsSync(join(home, 'pwned'))).toBe(false);
  });

  it('matches pattern lists with negation', () => {
    expect(hostMatches(['*.dc1.example', '!db*'], 'cp1.dc1.example')).toBe(true);
    expect(hostMatches(['*.dc1.example', '!db*'], 'db1.dc1.example')).toBe(false);
    expect(hostMatches(['cp?'], 'cp10')).toBe(false);
  });
});
