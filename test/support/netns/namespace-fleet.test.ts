import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNamespaceFleet } from './fleet.js';
import { MACHINE_PATHS_HIDDEN } from './machine-paths.js';
import { hostAddresses, planFleet } from './plan.js';
import { missingPrerequisites } from './prerequisites.js';
import { runCommand } from './run-command.js';
import { runOverSsh, sshArgs } from './ssh-client.js';
import type { NamespaceFleet } from './spec.js';

// The harness itself, on what the etcd end-to-end test does not use: segments the scanner cannot
// reach (bastions), each sudo policy, services with their own user and cgroup, files installed
// while a host runs, one host answering at many addresses, orphans reaped, and a stop that leaves the machine as
// it was.

const missing = await missingPrerequisites();
const mustRun = process.env.FLEETBENCH_CI === '1';
const skip = missing.length > 0 && !mustRun;

describe.skipIf(skip)(`namespace fleet${skip ? ` (skipped: ${missing.join('; ')})` : ''}`, () => {
  const machinePasswd = readFileSync('/etc/passwd', 'utf8');
  let fleet: NamespaceFleet;

  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`FLEETBENCH_CI=1, but this machine cannot run namespace fleets: ${missing.join('; ')}`);
    const plan = planFleet(
      [
        { name: 'bastion', segments: ['front', 'back'] },
        { name: 'inner', segments: ['back'] },
        { name: 'guarded', segments: ['front'] },
        { name: 'plain', segments: ['front'] },
        // More addresses than sshd can have listening sockets: it must listen on the wildcard.
        { name: 'many', segments: ['front'], extraAddresses: 20 },
      ],
      [
        { name: 'front', scannerReachable: true },
        { name: 'back', scannerReachable: false },
      ],
    );
    fleet = await startNamespaceFleet(plan, [
      {
        name: 'bastion',
        services: [
          {
            name: 'sleeper',
            argv: ['sleep', 'infinity'],
            env: { PATH: '/usr/bin:/bin' },
            user: 'nobody',
            cgroup: 'system.slice/sleeper.service',
            autostart: true,
          },
        ],
      },
      { name: 'inner' },
      { name: 'guarded', sudo: { password: 'correct horse' } },
      { name: 'plain', sudo: 'none' },
      { name: 'many' },
    ]);
  }, 60_000);

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    await fleet?.stop();
  }, 30_000);

  // Whatever this machine has at the probe's paths (Debian's /var/lib/etcd, a leftover
  // /etc/kubernetes...), no host sees it unless its spec installs it.
  it('hides every path the probe looks at on this machine, on every host', async () => {
    const seen = await fleet.host('plain').run('sh', ['-c', 'for p; do [ -e "$p" ] || [ -h "$p" ] && echo "$p"; done; true', 'sh', ...MACHINE_PATHS_HIDDEN]);
    expect(seen.stdout.trim().split('\n').filter(Boolean)).toEqual([]);
  });

  it('reaches hosts on the scanner segment only; a bastion on both segments reaches the others', async () => {
    const inner = fleet.host('inner').address;
    expect(fleet.host('bastion').addresses).toEqual({ front: '10.77.0.10', back: '10.78.0.10' });
    expect(inner).toBe('10.78.0.11');
    const direct = await runOverSsh(fleet, 'inner', 'true', { timeoutMs: 5_000 });
    expect(direct.stderr).toContain('Network is unreachable');
    const viaBastion = await runOverSsh(fleet, 'bastion', `timeout 2 bash -c 'echo > /dev/tcp/${inner}/22' && echo open`);
    expect(viaBastion.stdout.trim()).toBe('open');
  });

  it('gives the login user the sudo each host asks for', async () => {
    expect((await runOverSsh(fleet, 'bastion', 'sudo -n id -u')).stdout.trim()).toBe('0');
    expect((await runOverSsh(fleet, 'guarded', 'sudo -n true')).stderr).toContain('a password is required');
    expect((await runOverSsh(fleet, 'guarded', "sudo -S -p '' id -u", { input: 'correct horse\n' })).stdout.trim()).toBe('0');
    // No sudoers entry and no password: sudo can neither authenticate nor authorize the user.
    const plain = await runOverSsh(fleet, 'plain', 'sudo -n true; echo "exit $?"; grep -rl audit /etc/sudoers /etc/sudoers.d || echo "no rule"');
    expect(plain.stdout).toBe('exit 1\nno rule\n');
  });

  it('runs services as their user, in their cgroup, in the host PID namespace', async () => {
    const seen = await runOverSsh(
      fleet,
      'bastion',
      'for p in $(pgrep -x sleep); do ps -o user=,args= -p $p; grep name=systemd /proc/$p/cgroup; done; hostname',
    );
    expect(seen.stdout.split('\n')).toEqual(['nobody   sleep infinity', '9:name=systemd:/system.slice/sleeper.service', 'bastion', '']);
  });

  it('installs files on a running host, in its overlay only', async () => {
    await fleet.host('plain').install([{ path: '/etc/fleetbench-test', content: 'plain only\n', mode: 0o640, owner: 'root:audit' }]);
    expect((await runOverSsh(fleet, 'plain', 'stat -c "%a %U:%G" /etc/fleetbench-test; cat /etc/fleetbench-test')).stdout).toBe('640 root:audit\nplain only\n');
    expect((await runOverSsh(fleet, 'guarded', 'ls /etc/fleetbench-test')).code).not.toBe(0);
    expect(existsSync('/etc/fleetbench-test')).toBe(false);
  });

  it('refuses to install through a symlink that leads out of the overlays', async () => {
    const host = fleet.host('plain');
    await host.install([{ path: '/etc/escape', symlink: '/run' }]);
    await expect(host.install([{ path: '/etc/escape/planted', content: 'x' }])).rejects.toThrow('refusing to write in /run: outside the overlays');
    expect((await runOverSsh(fleet, 'plain', 'ls /run/planted')).code).not.toBe(0);
  });

  it('answers at every address of a host with extra addresses, through one sshd, with its host key checked', async () => {
    const many = fleet.host('many');
    expect(many.address).toBe('10.77.0.13');
    expect(many.extraAddresses).toHaveLength(20);
    expect(many.extraAddresses[0]).toBe('10.77.0.14');
    expect(many.extraAddresses.at(-1)).toBe('10.77.0.33');
    // One at a time: sshd's MaxStartups drops connections at random beyond 10 unauthenticated ones.
    const seen: string[] = [];
    for (const address of hostAddresses(many)) {
      const run = await fleet.runInFabric('ssh', [...sshArgs(fleet, 'many', address), 'set -- $SSH_CONNECTION; echo "$(hostname) $3"'], { timeoutMs: 15_000 });
      seen.push(run.stdout.trim() || run.stderr.trim());
    }
    expect(seen).toEqual(hostAddresses(many).map((address) => `many ${address}`));
    // sshd's listener retitles itself `sshd: /usr/sbin/sshd -D ... [listener] 0 of 10-100 startups`.
    const listeners = await runOverSsh(fleet, 'many', "pgrep -c -f '\\[listener\\]'");
    expect(listeners.stdout.trim()).toBe('1');
  });

  // sshd leaves an orphan behind each session; a real host's init reaps them, and so must a test host's.
  it('reaps the processes sessions leave behind, as an init does', async () => {
    for (let session = 0; session < 5; session++) await runOverSsh(fleet, 'guarded', 'true');
    const zombies = await runOverSsh(
      fleet,
      'guarded',
      'for i in 1 2 3 4 5; do n=$(ps -eo stat= | grep -c "^Z"); [ "$n" = 0 ] && break; sleep 0.2; done; echo $n',
    );
    expect(zombies.stdout.trim()).toBe('0');
  });

  it('stops every process and removes its directory, leaving the machine as it was', async () => {
    const dir = fleet.dir;
    await fleet.stop();
    expect(existsSync(dir)).toBe(false);
    const { stdout } = await runCommand('ps', ['-eo', 'args=']);
    expect(stdout.split('\n').filter((line) => line.includes(dir))).toEqual([]);
    expect(await readFile('/etc/passwd', 'utf8')).toBe(machinePasswd);
  });
});
