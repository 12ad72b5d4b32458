import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFleetAccess } from '../../src/demo/fleet-access.js';
import type { FleetAccess } from '../../src/demo/fleet-access.js';
import { loadFixture } from '../../src/demo/fixtures.js';
import { startFleet } from '../../src/demo/ssh-fleet.js';
import type { RunningFleet } from '../../src/demo/ssh-fleet.js';
import type { HostOutcome, Target } from '../../src/model.js';
import { loadRules } from '../../src/rules/rule-file.js';
import { scan } from '../../src/scan/scan.js';
import { loadKnownHosts } from '../../src/ssh/known-hosts.js';

// ProxyCommand as the transport, over real SSH to the in-process fleet. The proxy is a small
// node relay, as `nc %h %p` would be: it connects to 127.0.0.1 while the target's address is a
// name that does not resolve, so only the ProxyCommand can reach it, and the host key is checked
// under that name (or the HostKeyAlias) as OpenSSH checks it. Every proxy writes its pid, and that
// of a child it starts, so that the test can see that none outlives the scan.

// argv: host port pidfile. Starts a child (sleep) to stand for what real proxies start (aws ssm's plugin).
const RELAY = [
  'const net = require("net"), fs = require("fs"), cp = require("child_process");',
  'const child = cp.spawn("sleep", ["300"], { stdio: "ignore" });',
  'fs.writeFileSync(process.argv[3], process.pid + " " + child.pid);',
  'const s = net.connect(+process.argv[2], process.argv[1]);',
  'process.stdin.pipe(s); s.pipe(process.stdout);',
  's.on("error", (e) => { console.error("relay: " + e.message); process.exit(1); });',
].join(' ');
// argv: a file that counts the runs.
const FAILING = 'require("fs").appendFileSync(process.argv[1], "run\\n"); console.error("no route to host broken.proxied"); process.exit(3)';
const MUTE = 'require("fs").writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1000)';

describe('connecting over a ProxyCommand', () => {
  let fleet: RunningFleet;
  let access: FleetAccess;
  let hosts: HostOutcome[];
  let runScan: (targets: Target[], attempts: number) => Promise<HostOutcome[]>;
  let broken: Target;
  let brokenRuns: string;
  const pidFiles: string[] = [];

  beforeAll(async () => {
    const fixture = await loadFixture('kubeadm-single');
    fleet = await startFleet([
      { name: 'cp1', behaviour: { kind: 'fixture', fixture } },
      { name: 'cp2', behaviour: { kind: 'fixture', fixture } },
    ]);
    access = await writeFleetAccess(fleet);
    const [cp1, cp2] = fleet.hosts as [RunningFleet['hosts'][0], RunningFleet['hosts'][0]];
    // known_hosts as a user would have it: cp1 under its name and port, cp2 under its HostKeyAlias.
    const knownHosts = join(access.dir, 'known_hosts_proxied');
    await writeFile(
      knownHosts,
      fleet.knownHosts.replace(`[127.0.0.1]:${cp1.port} `, `[cp1.proxied]:${cp1.port} `).replace(`[127.0.0.1]:${cp2.port} `, 'cp2-alias '),
    );
    const pidFile = (name: string) => {
      const path = join(access.dir, `${name}.pid`);
      pidFiles.push(path);
      return path;
    };
    const node = (script: string, ...args: string[]) => ({ command: `${process.execPath} -e '${script}' ${args.join(' ')}`, shell: '/bin/sh' });
    const base = { cluster: 'proxied', user: fleet.user, roles: ['etcd', 'control-plane'] as Target['roles'], become: true, identityFiles: [access.keyFile] };
    brokenRuns = join(access.dir, 'broken.runs');
    broken = { ...base, name: 'broken', address: 'broken.proxied', port: 22, proxyCommand: node(FAILING, brokenRuns) };
    const targets: Target[] = [
      { ...base, name: 'cp1', address: 'cp1.proxied', port: cp1.port, proxyCommand: node(RELAY, '127.0.0.1', String(cp1.port), pidFile('cp1')) },
      {
        ...base,
        name: 'cp2',
        address: 'cp2.proxied',
        port: cp2.port,
        hostKeyAlias: 'cp2-alias',
        proxyCommand: node(RELAY, '127.0.0.1', String(cp2.port), pidFile('cp2')),
      },
      broken,
      { ...base, name: 'unstartable', address: 'unstartable.proxied', port: 22, proxyCommand: { command: 'true', shell: join(access.dir, 'no-such-shell') } },
      { ...base, name: 'mute', address: 'mute.proxied', port: 22, proxyCommand: node(MUTE, pidFile('mute')) },
    ];
    const policy = { mode: 'strict' as const, knownHosts: await loadKnownHosts([knownHosts]), files: [knownHosts] };
    const rules = await loadRules();
    runScan = async (targets, attempts) =>
      (
        await scan({
          inventory: { source: 'test', targets },
          rules,
          benchmark: '1.12',
          concurrency: 8,
          hostTimeoutMs: 10_000,
          maxOutputBytes: 16 << 20,
          retry: { attempts, baseDelayMs: 10 },
          ssh: { ...access.ssh, connectTimeoutMs: 4000, hostKeys: () => policy },
        })
      ).hosts;
    // The mute ProxyCommand would be retried, as a silent server is: one attempt keeps the test short.
    hosts = await runScan(targets, 1);
  }, 60_000);

  afterAll(async () => {
    await fleet.stop();
    await access.remove();
  });

  const outcome = (name: string) => hosts.find((h) => h.name === name)!;

  it('reaches hosts through the command, verifying their keys under name and port, or the HostKeyAlias', () => {
    expect(outcome('cp1')).toMatchObject({ reached: true, privilege: 'sudo' });
    expect(outcome('cp1').error).toBeUndefined();
    expect(outcome('cp2')).toMatchObject({ reached: true });
  });

  it("makes a command that fails, cannot start or never speaks SSH that host's ERROR, with what it said", () => {
    expect(outcome('broken')).toMatchObject({ reached: false, errorKind: 'connection' });
    expect(outcome('broken').error).toBe(
      'broken.proxied:22 via ProxyCommand: the ProxyCommand exited with status 3 before the SSH handshake finished; it said: no route to host broken.proxied',
    );
    expect(outcome('unstartable').error).toMatch(
      /^unstartable\.proxied:22 via ProxyCommand: the ProxyCommand could not be started: spawn .*no-such-shell ENOENT$/,
    );
    expect(outcome('mute')).toMatchObject({ reached: false, errorKind: 'timeout' });
    expect(outcome('mute').error).toMatch(/^mute\.proxied:22 via ProxyCommand accepted the connection but did not complete the SSH handshake in time/);
  });

  it('does not run a failing ProxyCommand again: it is not a server dropping connections', async () => {
    await writeFile(brokenRuns, '');
    const [again] = await runScan([broken], 4);
    expect(again?.error).toMatch(/exited with status 3/);
    expect(await readFile(brokenRuns, 'utf8')).toBe('run\n');
  });

  it('leaves no proxy, nor anything it started, running after the scan', async () => {
    const pids = (await Promise.all(pidFiles.map((file) => readFile(file, 'utf8')))).flatMap((text) => text.trim().split(' ').map(Number));
    // cp1 and cp2, each with a child, and mute.
    expect(pids).toHaveLength(5);
    const alive = () => pids.filter((pid) => isAlive(pid));
    for (let waited = 0; alive().length > 0 && waited < 6000; waited += 100) await sleep(100);
    expect(alive()).toEqual([]);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
