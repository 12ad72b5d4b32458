import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSshConfig, parseLine, SshConfigError } from '../../src/inventory/ssh-config-file.js';
import { lookupSshOptions } from '../../src/inventory/ssh-config.js';
import type { GivenOptions, SshLookupContext } from '../../src/inventory/ssh-config.js';
import { finishSshHost } from '../../src/inventory/ssh-host.js';
import type { SshHostResult } from '../../src/inventory/ssh-host.js';

// ssh_config as OpenSSH's readconf.c and ssh.c read it. Each case writes a config into a
// temporary home and asks what ssh would end up with for one host.

let home: string;
let context: SshLookupContext;
let files = 0;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'fleetbench-sshcfg-'));
  await mkdir(join(home, '.ssh', 'config.d'), { recursive: true });
  context = {
    home,
    localUser: 'me',
    env: { DEPLOY_USER: 'deployer', AGENT_DIR: '/run/agents', OTHER_AGENT: '/run/other.sock', SHELL: '/bin/bash' },
    cwd: '/work/dir',
    localHost: 'scanner.example.org',
    uid: 1000,
    localAddresses: ['127.0.0.1', '192.168.7.20', 'fe80::1'],
  };
});
afterAll(() => rm(home, { recursive: true, force: true }));

const lines = (...text: string[]) => `${text.join('\n')}\n`;

async function configFile(text: string, name = `config-${++files}`): Promise<string> {
  const path = join(home, '.ssh', name);
  await writeFile(path, text, { mode: 0o600 });
  return path;
}

async function lookup(text: string, alias: string, given: GivenOptions = {}, localUser: string | null = 'me'): Promise<SshHostResult> {
  const config = await loadSshConfig(await configFile(text), { home, env: context.env });
  return finishSshHost(lookupSshOptions(config, alias, given, context), alias, context, localUser ?? undefined);
}

async function host(text: string, alias: string, given: GivenOptions = {}) {
  const result = await lookup(text, alias, given);
  if (!('host' in result)) throw new Error(`expected a host, got ${JSON.stringify(result)}`);
  return result.host;
}

async function loadErrors(text: string): Promise<string[]> {
  const path = await configFile(text);
  try {
    await loadSshConfig(path, { home, env: {} });
  } catch (error) {
    if (!(error instanceof SshConfigError)) throw error;
    return error.issues.map((issue) => `${issue.line}: ${issue.message}`);
  }
  throw new Error('expected an SshConfigError');
}

describe('reading ssh_config lines as readconf.c splits them', () => {
  it('takes keyword and arguments, with "=", quotes, escapes and comments', () => {
    expect(parseLine('Host=foo bar')).toEqual({ keyword: 'host', args: ['foo', 'bar'], rest: 'foo bar' });
    expect(parseLine('  User = ops   # the fleet account  ')).toEqual({ keyword: 'user', args: ['ops'], rest: 'ops   # the fleet account' });
    expect(parseLine('IdentityFile "~/.ssh/my key"')).toMatchObject({ args: ['~/.ssh/my key'] });
    expect(parseLine('IdentityFile ~/.ssh/my\\ key')).toMatchObject({ args: ['~/.ssh/my key'] });
    // ProxyCommand takes the rest of the line as written, quotes included.
    expect(parseLine('ProxyCommand ssh -o "ProxyCommand=x y" -W %h:%p gw')).toMatchObject({ rest: 'ssh -o "ProxyCommand=x y" -W %h:%p gw' });
    expect(parseLine('# Host evil')).toBeUndefined();
    expect(parseLine('   ')).toBeUndefined();
    expect(parseLine('Host "unclosed')).toEqual({ problem: 'invalid quotes' });
    expect(parseLine('User')).toEqual({ problem: 'no argument after keyword "user"' });
  });

  it('refuses, with file and line, what ssh would refuse to start with', async () => {
    expect(
      await loadErrors(
        lines(
          'Host a',
          '  Port ssh',
          '  IdentitiesOnly maybe',
          'Match all host a',
          'Match hostname a',
          'Match host',
          'Host "b',
          'Match localnetwork 10.0.0.0/33',
          '  StrictHostKeyChecking sometimes',
        ),
      ),
    ).toEqual([
      '2: bad port "ssh": a whole number from 1 to 65535 (fleetbench does not look up service names)',
      '3: identitiesonly must be yes or no, got "maybe"',
      "4: Match: 'all' cannot be combined with other Match attributes",
      '5: Match: unsupported attribute "hostname"',
      "6: Match: missing argument for 'host'",
      '7: invalid quotes',
      '8: Match localnetwork: "10.0.0.0/33" is not a list of addresses/prefixes',
      '9: StrictHostKeyChecking must be one of yes, true, no, false, off, ask, accept-new, got "sometimes"',
    ]);
  });

  it('refuses a config that someone else may write, as ssh does for ~/.ssh/config and what it includes', async () => {
    const included = await configFile('Host *\n  ProxyCommand touch /tmp/pwned\n', 'shared.conf');
    await chmod(included, 0o666);
    const path = await configFile(`Include ${included}\n`);
    await expect(loadSshConfig(path, { home, env: {} })).rejects.toThrow(/shared\.conf:0:0: bad owner or permissions/);
    await chmod(path, 0o622);
    await expect(loadSshConfig(path, { home, env: {}, checkPermissions: true })).rejects.toThrow(new RegExp(`${path}:0:0: bad owner or permissions`));
  });
});

describe('which lines apply to a host, as readconf.c decides', () => {
  it('keeps the first value obtained, after what is given on the command line; IdentityFile accumulates', async () => {
    const config = lines(
      'Host cp1',
      '  User ops',
      '  Port 2222',
      '  IdentityFile ~/.ssh/cp1',
      'Host *',
      '  User audit',
      '  Port 22',
      '  IdentityFile ~/.ssh/cp1',
      '  IdentityFile ~/.ssh/fleet',
    );
    expect(await host(config, 'cp1')).toMatchObject({
      hostName: 'cp1',
      user: 'ops',
      port: 2222,
      identityFiles: [join(home, '.ssh/cp1'), join(home, '.ssh/fleet')],
    });
    expect(await host(config, 'cp1', { user: 'cli', port: 2200, identityFiles: ['/keys/given'] })).toMatchObject({
      user: 'cli',
      port: 2200,
      identityFiles: ['/keys/given', join(home, '.ssh/cp1'), join(home, '.ssh/fleet')],
    });
  });

  it('matches Host patterns case-sensitively against the name as given, a negated pattern ruling the block out', async () => {
    const config = lines('Host *.dc1.example !db*', '  User dc1', 'Host CP9', '  User upper', 'Host *', '  User other');
    expect((await host(config, 'cp1.dc1.example')).user).toBe('dc1');
    expect((await host(config, 'db1.dc1.example')).user).toBe('other');
    expect((await host(config, 'cp9')).user).toBe('other');
    expect(await host(config, 'CP9')).toMatchObject({ user: 'upper', hostName: 'cp9' });
  });

  it('evaluates Match host on HostName, originalhost on the name given, user on the login user, each negatable', async () => {
    const config = lines(
      'Host gw bastion-*',
      '  HostName 203.0.113.10',
      'Match host 203.0.113.* originalhost bastion-*',
      '  Port 2222',
      'Match user ops,!root',
      '  IdentityFile ~/.ssh/ops',
      'Match !localuser me',
      '  IdentityFile ~/.ssh/not-me',
      'Match host "*.DC1.EXAMPLE" !originalhost db*',
      '  User dc1',
      'Match all',
      '  User fallback',
    );
    expect(await host(config, 'bastion-dc1')).toMatchObject({ hostName: '203.0.113.10', port: 2222 });
    expect(await host(config, 'gw')).toMatchObject({ hostName: '203.0.113.10', port: 22, user: 'fallback', identityFiles: [] });
    // The user given on the command line is the one Match user sees.
    expect(await host(config, 'gw', { user: 'ops' })).toMatchObject({ user: 'ops', identityFiles: [join(home, '.ssh/ops')] });
    expect(await host(config, 'gw', { user: 'root' })).toMatchObject({ identityFiles: [] });
    // Match host compares its patterns in lower case.
    expect(await host(config, 'cp1.dc1.example')).toMatchObject({ user: 'dc1' });
    expect(await host(config, 'db1.dc1.example')).toMatchObject({ user: 'fallback' });
    // A HostName given on the command line (a native inventory's address) is what Match host sees.
    expect(await host(config, 'cp9', { hostName: '203.0.113.77' })).toMatchObject({ hostName: '203.0.113.77', port: 22 });
  });

  it('reads the file again with the final host name for Match final, where Host sees that name', async () => {
    const config = lines(
      'Host cp1',
      '  HostName cp1.dc1.example',
      'Host *.dc1.example',
      '  User from-final-pass',
      '  HostName ignored.example',
      'Match final host *.dc1.example',
      '  Port 2222',
      'Match canonical',
      '  IdentityFile ~/.ssh/canonical',
    );
    expect(await host(config, 'cp1')).toMatchObject({
      hostName: 'cp1.dc1.example',
      user: 'from-final-pass',
      port: 2222,
      identityFiles: [join(home, '.ssh/canonical')],
    });
    // Without Match final there is one pass: Host *.dc1.example never sees the HostName.
    expect(await host(config.replace('Match final host', 'Match host'), 'cp1')).toMatchObject({ user: 'me', port: 2222, identityFiles: [] });
  });

  it('reads Include files in place, relative to ~/.ssh, in sorted order, only where the block applies', async () => {
    await writeFile(join(home, '.ssh', 'config.d', '10-dc1.conf'), lines('Host cp2', '  HostName 10.0.1.12', 'Match all', '  Port 2201'));
    await writeFile(join(home, '.ssh', 'config.d', '20-dc1.conf'), lines('Host cp2', '  HostName 10.0.1.99', '  User dc1'));
    // glob(3): case matters, and a wildcard does not match a leading dot.
    await writeFile(join(home, '.ssh', 'config.d', '30-old.CONF'), lines('User old'));
    await writeFile(join(home, '.ssh', 'config.d', '.05-draft.conf'), lines('User draft'));
    const config = lines(
      'Host cp2',
      '  Include config.d/*.conf',
      '  Port 2299',
      'Host lab',
      '  Include config.d/1*.conf',
      'Host *',
      '  Port 22',
      '  User audit',
    );
    expect(await host(config, 'cp2')).toMatchObject({ hostName: '10.0.1.12', port: 2201, user: 'dc1' });
    // Inside the included file "Match all" applied; back in this file, Host cp2 still rules.
    expect(await host(config.replace('Include config.d/*.conf', 'Include config.d/2*.conf'), 'cp2')).toMatchObject({ port: 2299 });
    // Included for lab, 10-dc1.conf's "Match all" applies to it as well.
    expect(await host(config, 'lab')).toMatchObject({ hostName: 'lab', port: 2201, user: 'audit' });
  });

  it('never runs Match exec: taken as failing, with a note only when ssh would have run it', async () => {
    const pwned = join(home, 'pwned');
    const config = lines(
      `Match exec "touch ${pwned}" host cp1`,
      '  User evil',
      `Match host nothing exec "touch ${pwned}"`,
      '  User never',
      `Match !exec "touch ${pwned}"`,
      '  Port 2222',
    );
    const cp1 = await host(config, 'cp1');
    expect(cp1).toMatchObject({ user: 'me', port: 2222 });
    expect(cp1.notes).toEqual([
      `Match exec touch ${pwned} at ${join(home, '.ssh')}/config-${files} line 1 (never run: taken as failing, so exec does not match and !exec does)`,
      `Match exec touch ${pwned} at ${join(home, '.ssh')}/config-${files} line 5 (never run: taken as failing, so exec does not match and !exec does)`,
    ]);
    expect(existsSync(pwned)).toBe(false);
  });

  it('matches localnetwork against the addresses of this machine, and tagged against Tag', async () => {
    const config = lines('Tag office', 'Match localnetwork 10.0.0.0/8,192.168.0.0/16', '  User on-lan', 'Match tagged off*', '  Port 2022');
    expect(await host(config, 'x')).toMatchObject({ user: 'on-lan', port: 2022 });
    expect(await host(config.replace('192.168.0.0/16', 'fd00::/8'), 'x')).toMatchObject({ user: 'me' });
  });
});

describe('what ssh makes of the values once it knows host, port and user', () => {
  it('expands tokens and ${VAR} where ssh_config(5) says, from the final values', async () => {
    const config = lines(
      'Host cp*',
      '  HostName %h.internal.EXAMPLE',
      '  IdentityFile %d/.ssh/%r@%h:%p-%n-%u-%i-%l-%L-%k',
      '  IdentityFile ${AGENT_DIR}/keys/%C',
      '  IdentityFile keys/relative',
      '  UserKnownHostsFile ~/.ssh/known_%h /etc/ssh/known_fleet',
      '  User ${DEPLOY_USER}',
      '  Port 2222',
    );
    const cp1 = await host(config, 'cp1');
    const hash = createHash('sha1').update('scanner.example.orgcp1.internal.example2222deployer').digest('hex');
    expect(cp1).toMatchObject({
      hostName: 'cp1.internal.example',
      user: 'deployer',
      identityFiles: [
        `${home}/.ssh/deployer@cp1.internal.example:2222-cp1-me-1000-scanner.example.org-scanner-cp1`,
        `/run/agents/keys/${hash}`,
        // A relative IdentityFile is opened from the directory ssh runs in.
        '/work/dir/keys/relative',
      ],
      knownHostsFiles: [join(home, '.ssh/known_cp1.internal.example'), '/etc/ssh/known_fleet'],
    });
  });

  it('reports a token the keyword does not take, an unset variable and ~user, naming the line', async () => {
    const result = await lookup(lines('Host x', '  HostName %p.example', '  IdentityFile ${NOPE}/key', '  UserKnownHostsFile ~root/known'), 'x');
    expect(result).toEqual({
      problems: [
        expect.stringMatching(/^HostName "%p.example" \(.*line 2\) uses %p, which is not a token ssh expands here/),
        expect.stringMatching(/^"\$\{NOPE\}\/key" \(.*line 3\) uses \$\{NOPE\}, which is not set in the environment$/),
        expect.stringMatching(/^"~root\/known" \(.*line 4\) uses ~user/),
      ],
    });
  });

  it('lets the first of ProxyJump and ProxyCommand win, and expands the ProxyCommand as ssh runs it', async () => {
    const config = lines(
      'Host jumped',
      '  ProxyJump ops@gw.example:2222,%h-bastion  # comment',
      'Host direct',
      '  ProxyJump none',
      'Host commanded',
      '  HostKeyAlias Commanded-Key',
      '  ProxyCommand ssh -W %h:%p -l %r gw # %n %k %%',
      'Host *',
      '  ProxyCommand nc %h %p',
      '  ProxyJump late',
    );
    expect((await host(config, 'jumped')).proxy).toEqual({
      kind: 'jump',
      hops: [{ host: 'gw.example', port: 2222, user: 'ops' }, { host: 'jumped-bastion' }],
    });
    // ProxyJump none stops later ProxyJumps only: a later ProxyCommand still applies.
    expect((await host(config, 'direct')).proxy).toEqual({ kind: 'command', command: { command: 'nc direct 22', shell: '/bin/bash' } });
    expect(await host(config, 'commanded')).toMatchObject({
      hostKeyAlias: 'commanded-key',
      proxy: { kind: 'command', command: { command: 'ssh -W commanded:22 -l me gw # commanded commanded-key %', shell: '/bin/bash' } },
    });
    expect((await host(lines('ProxyCommand none', 'ProxyJump gw'), 'x')).proxy).toBeUndefined();
    expect(await lookup(lines('ProxyCommand nc %x %p'), 'x')).toEqual({ problems: [expect.stringMatching(/^ProxyCommand nc %x %p \(.*line 1\) uses %x/)] });
    expect(await lookup(lines('ProxyJump me@x'), 'x')).toEqual({ problems: [expect.stringMatching(/leads back to me@x:22 itself \(ssh: "jumphost loop"\)$/)] });
  });

  it('reads IdentityAgent, IdentitiesOnly, IdentityFile none, StrictHostKeyChecking and UserKnownHostsFile none', async () => {
    const config = lines(
      'Host env',
      '  IdentityAgent SSH_AUTH_SOCK',
      'Host other',
      '  IdentityAgent $OTHER_AGENT',
      'Host unset',
      '  IdentityAgent $NOT_SET',
      'Host off',
      '  IdentityAgent none',
      '  IdentityFile none',
      'Host path',
      '  IdentityAgent ~/.1password/agent.sock',
      '  IdentitiesOnly yes',
      '  StrictHostKeyChecking accept-new',
      '  UserKnownHostsFile none',
      'Host *',
      '  IdentityFile ~/.ssh/fleet',
    );
    expect((await host(config, 'env')).identityAgent).toBeUndefined();
    expect((await host(config, 'other')).identityAgent).toBe('/run/other.sock');
    expect((await host(config, 'unset')).identityAgent).toBe('none');
    expect(await host(config, 'off')).toMatchObject({ identityAgent: 'none', identityFiles: [join(home, '.ssh/fleet')], noDefaultIdentityFiles: false });
    expect(await host(lines('IdentityFile none'), 'x')).toMatchObject({ identityFiles: [], noDefaultIdentityFiles: true });
    expect(await host(config, 'path')).toMatchObject({
      identityAgent: join(home, '.1password/agent.sock'),
      identitiesOnly: true,
      acceptNewHostKey: true,
      knownHostsFiles: [],
    });
  });

  it('says so when nothing names a user and the local user cannot stand in', async () => {
    expect(await lookup(lines('Host x', '  Port 22'), 'x', {}, null)).toEqual({ noUser: true });
  });
});
