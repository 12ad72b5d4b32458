import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../../src/inventory/jump-targets.js';
import { loadSshConfig } from '../../src/inventory/ssh-config-file.js';
import type { GivenOptions } from '../../src/inventory/ssh-config.js';
import { resolveRoute } from '../../src/inventory/ssh-route.js';
import type { RouteContext } from '../../src/inventory/ssh-route.js';

// Jump hosts as OpenSSH reaches them: ProxyJump x runs `ssh -W host:port x`, and that ssh looks
// x up in ssh_config like any host (HostName, User, Port, IdentityFile, known_hosts, and its own
// ProxyJump or ProxyCommand); the user and port in the spec are its command line; for a chain
// a,b the last hop b is reached with -J a.

let home: string;
let files = 0;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'fleetbench-route-'));
  await mkdir(join(home, '.ssh'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

const lines = (...text: string[]) => `${text.join('\n')}\n`;

async function route(config: string, alias: string, given: GivenOptions = {}, options: Partial<RouteContext> = {}) {
  const path = join(home, '.ssh', `config-${++files}`);
  await writeFile(path, config);
  const problems: string[] = [];
  const notes: string[] = [];
  const ctx: RouteContext = {
    config: await loadSshConfig(path, { home, env: {} }),
    lookup: { home, localUser: 'me', env: { SHELL: '/bin/sh' }, cwd: '/work', localHost: 'scanner', uid: 1000, localAddresses: [] },
    localUser: 'me',
    cluster: 'dc1',
    hopsUseHostKeys: false,
    ...options,
  };
  const found = resolveRoute(ctx, alias, given, {
    problem: (message) => problems.push(message),
    note: (message) => notes.push(message),
    noUser: (problem) => problems.push(`no user: ${problem}`),
  });
  return { route: found, problems, notes };
}

/** The hops outermost first, each as user@address:port [keys] and how it is reached. */
function chain(found: Route | undefined): string[] {
  const hops: string[] = [];
  for (let hop = found?.jump; hop !== undefined; hop = hop.jump) {
    const proxy = hop.proxyCommand ? ` by ${hop.proxyCommand.command}` : '';
    hops.unshift(`${hop.name}=${hop.user}@${hop.address}:${hop.port} [${hop.identityFiles.join(',')}]${proxy}`);
  }
  return hops;
}

const BASTIONS = lines(
  'Host bastion-dc1',
  '  HostName 203.0.113.10',
  '  User jump',
  '  Port 2222',
  '  IdentityFile ~/.ssh/bastion',
  '  UserKnownHostsFile ~/.ssh/known_bastions',
  '  StrictHostKeyChecking accept-new',
  'Host inner-gw',
  '  HostName 10.9.0.1',
  '  User gw',
  '  ProxyJump bastion-dc1',
  'Host edge',
  '  HostName edge.example',
  '  ProxyCommand ssh -W %h:%p -l %r cloud-gw',
  'Host cp*.dc1',
  '  HostName %h.internal',
  '  User ops',
  '  IdentityFile ~/.ssh/dc1',
  '  ProxyJump bastion-dc1',
  'Host cp*.dc2',
  '  ProxyJump inner-gw',
  'Host cp*.dc3',
  '  ProxyJump root@bastion-dc1:22,inner-gw',
  'Host cp*.edge',
  '  ProxyJump edge',
  'Host loop-a',
  '  ProxyJump loop-b',
  'Host loop-b',
  '  ProxyJump loop-a',
);

describe('jump hosts resolved through ssh_config, as OpenSSH does', () => {
  it('looks a ProxyJump alias up like any host: its HostName, User, Port, keys and known_hosts', async () => {
    const { route: found, problems } = await route(BASTIONS, 'cp1.dc1');
    expect(problems).toEqual([]);
    expect(found).toMatchObject({ address: 'cp1.dc1.internal', user: 'ops', port: 22, identityFiles: [join(home, '.ssh/dc1')] });
    expect(found?.jump).toEqual({
      name: 'bastion-dc1',
      cluster: 'dc1',
      address: '203.0.113.10',
      port: 2222,
      user: 'jump',
      roles: [],
      become: false,
      identityFiles: [join(home, '.ssh/bastion')],
      knownHostsFiles: [join(home, '.ssh/known_bastions')],
      acceptNewHostKey: true,
    });
  });

  it("follows the outermost hop's own ProxyJump, and reaches a later hop with -J the hops before it", async () => {
    expect(chain((await route(BASTIONS, 'cp1.dc2')).route)).toEqual([
      `bastion-dc1=jump@203.0.113.10:2222 [${join(home, '.ssh/bastion')}]`,
      'inner-gw=gw@10.9.0.1:22 []',
    ]);
    // inner-gw's own ProxyJump is not used here: -J root@bastion-dc1:22 is given to it, and the
    // user and port in the spec beat bastion-dc1's User and Port.
    expect(chain((await route(BASTIONS, 'cp1.dc3')).route)).toEqual([
      `bastion-dc1=root@203.0.113.10:22 [${join(home, '.ssh/bastion')}]`,
      'inner-gw=gw@10.9.0.1:22 []',
    ]);
  });

  it("runs a hop's own ProxyCommand, with the hop's tokens", async () => {
    expect(chain((await route(BASTIONS, 'cp1.edge')).route)).toEqual(['edge=me@edge.example:22 [] by ssh -W edge.example:22 -l me cloud-gw']);
  });

  it("gives hops the host's keys when ssh_config names none for them, in native inventories", async () => {
    const { route: found } = await route(BASTIONS, 'cp1.dc2', { identityFiles: ['/keys/fleet'] }, { hopsUseHostKeys: true });
    expect(chain(found)).toEqual([`bastion-dc1=jump@203.0.113.10:2222 [${join(home, '.ssh/bastion')}]`, 'inner-gw=gw@10.9.0.1:22 [/keys/fleet]']);
  });

  it('refuses a chain of jump hosts that leads around in a loop', async () => {
    const { route: found, problems } = await route(BASTIONS, 'loop-a');
    expect(found).toBeUndefined();
    expect(problems).toEqual([expect.stringMatching(/^jump hosts lead around in a loop: loop-a → loop-b → loop-a → loop-b/)]);
  });

  it("reports a hop that names no user when the local user cannot stand in, and the config's problems with their line", async () => {
    const noLocal = await route(lines('Host x', '  ProxyJump gw'), 'x', { user: 'ops' }, { localUser: '9x' });
    expect(noLocal.problems).toEqual([
      expect.stringMatching(/^jump host "gw" names no user, and the local user name "9x", used instead, is not a valid user name/),
    ]);
    const bad = await route(lines('Host x', '  ProxyJump gw', 'Host gw', '  HostName bad_host!'), 'x');
    expect(bad.problems).toEqual([expect.stringMatching(/for gw: HostName "bad_host!" \(.*config-\d+ line 4\) contains "!"/)]);
  });
});
