import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { HostOutcome, ScanResult } from '../../src/model.js';
import { CLI } from '../support/cli.js';
import { startNamespaceFleet } from '../support/netns/fleet.js';
import type { NamespaceFleet } from '../support/netns/spec.js';
import { planFleet } from '../support/netns/plan.js';
import { missingPrerequisites } from '../support/netns/prerequisites.js';

// fleetbench against a misbehaving real-world fleet: real OpenSSH sshd in namespaces, targets
// that only a bastion can reach, 200 addresses of one sshd scanned 64 at a time through its
// default MaxStartups, a host whose sudo wants a password, a host that accepts TCP and never
// speaks, one that stalls halfway through its output and one that never stops talking. Every host
// ends within its deadline with its reason, and the others are still scanned. Needs root; skipped
// elsewhere, but never in CI.

const missing = await missingPrerequisites(['node']);
const mustRun = process.env.FLEETBENCH_CI === '1';
const skip = missing.length > 0 && !mustRun;

const CROWD = 200;
const SUDO_PASSWORD = 'correct horse battery staple';
// Accepts connections on port 22 and never says a word: a hung sshd, a tarpit.
const SILENT_LISTENER = "require('net').createServer(() => {}).listen(22, '0.0.0.0')";

describe.skipIf(skip)(`fleetbench on a misbehaving real fleet${skip ? ` (skipped: ${missing.join('; ')})` : ''}`, () => {
  let fleet: NamespaceFleet;
  let result: ScanResult;
  let elapsedMs: number;
  const host = (name: string): HostOutcome => {
    const found = result.hosts.find((h) => h.name === name);
    if (!found) throw new Error(`no outcome for ${name}`);
    return found;
  };
  const scan = async (inventory: string, extraEnv: NodeJS.ProcessEnv = {}, extraArgs: string[] = []) => {
    const started = Date.now();
    const run = await fleet.runInFabric(
      process.execPath,
      [
        CLI,
        'scan',
        '-i',
        inventory,
        '--format',
        'json',
        '--known-hosts',
        fleet.knownHostsFile,
        '-c',
        '64',
        '--connect-timeout',
        '4',
        '--timeout',
        '10',
        '--max-output',
        '1',
        ...extraArgs,
      ],
      // HOME: nothing of the machine's ~/.ssh (config, keys, known hosts) may take part.
      { env: { ...process.env, SSH_AUTH_SOCK: '', HOME: fleet.dir, ...extraEnv }, timeoutMs: 120_000 },
    );
    if (run.stdout.trim() === '') throw new Error(`fleetbench scan printed no result (exit ${run.code}): ${run.stderr}`);
    return { result: JSON.parse(run.stdout) as ScanResult, elapsedMs: Date.now() - started, stderr: run.stderr };
  };

  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`FLEETBENCH_CI=1, but this machine cannot run the end-to-end tests: ${missing.join('; ')}`);
    const plan = planFleet(
      [
        { name: 'bastion', segments: ['front', 'back'] },
        { name: 'inner1', segments: ['back'] },
        { name: 'inner2', segments: ['back'] },
        { name: 'inner3', segments: ['back'] },
        { name: 'crowd', segments: ['front'], extraAddresses: CROWD - 1 },
        { name: 'pwhost', segments: ['front'] },
        { name: 'silent', segments: ['front'] },
        { name: 'stall', segments: ['front'] },
        { name: 'flood', segments: ['front'] },
      ],
      [
        { name: 'front', scannerReachable: true },
        { name: 'back', scannerReachable: false },
      ],
    );
    fleet = await startNamespaceFleet(plan, [
      { name: 'bastion' },
      { name: 'inner1' },
      { name: 'inner2' },
      { name: 'inner3' },
      { name: 'crowd' },
      { name: 'pwhost', sudo: { password: SUDO_PASSWORD } },
      { name: 'silent', noSshd: true, services: [{ name: 'tarpit', argv: ['node', '-e', SILENT_LISTENER], env: { PATH: '/usr/bin:/bin' }, autostart: true }] },
      { name: 'stall', sshdConfig: ["ForceCommand printf 'half of the answer'; sleep 600"] },
      { name: 'flood', sshdConfig: ['ForceCommand yes fleetbench-flood'] },
    ]);
    const bastion = fleet.host('bastion');
    const crowd = fleet.host('crowd');
    const inventory = {
      defaults: { user: fleet.user, become: true, identityFile: fleet.keyFile, roles: ['control-plane'] },
      clusters: {
        inner: {
          defaults: { jump: `${fleet.user}@${bastion.address}` },
          hosts: ['inner1', 'inner2', 'inner3'].map((name) => ({ name, address: fleet.host(name).address })),
        },
        odd: { hosts: ['pwhost', 'silent', 'stall', 'flood'].map((name) => ({ name, address: fleet.host(name).address })) },
      },
    };
    await writeFile(join(fleet.dir, 'fleet.yaml'), stringify(inventory));
    // The crowd gets a scan of its own: its hosts share one machine's CPU, so their time is not the
    // 10 s deadline the misbehaving hosts are held to.
    const crowdInventory = {
      defaults: inventory.defaults,
      clusters: { crowd: { hosts: [crowd.address, ...crowd.extraAddresses].map((address, i) => ({ name: `crowd-${i + 1}`, address })) } },
    };
    await writeFile(join(fleet.dir, 'crowd.yaml'), stringify(crowdInventory));
    ({ result, elapsedMs } = await scan(join(fleet.dir, 'fleet.yaml')));
  }, 180_000);

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    await fleet?.stop();
  }, 60_000);

  it('reaches the hosts behind the bastion over one bastion connection, verifying every hop', async () => {
    for (const name of ['inner1', 'inner2', 'inner3']) expect(host(name)).toMatchObject({ reached: true, privilege: 'sudo' });
    const log = await readFile(join(fleet.host('bastion').logDir, 'sshd.log'), 'utf8');
    expect(log.match(/Accepted publickey for audit/g)).toHaveLength(1);
  });

  it('reaches hosts behind the bastion by a ProxyCommand running the real ssh -W, and by ProxyJump through an ssh_config alias', async () => {
    const bastion = fleet.host('bastion');
    const config = join(fleet.dir, 'proxy_ssh_config');
    // Read by fleetbench (-F) and by the ssh that its ProxyCommand runs: one file, as a user has one ~/.ssh/config.
    await writeFile(
      config,
      [
        'Host bastion',
        `  HostName ${bastion.address}`,
        `  User ${fleet.user}`,
        `  IdentityFile ${fleet.keyFile}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${fleet.knownHostsFile}`,
        '  GlobalKnownHostsFile /dev/null',
        '  StrictHostKeyChecking yes',
        '  BatchMode yes',
        'Host inner1-proxied',
        `  HostName ${fleet.host('inner1').address}`,
        `  ProxyCommand ssh -F ${config} -W %h:%p bastion`,
        'Host inner2-jumped',
        `  HostName ${fleet.host('inner2').address}`,
        '  ProxyJump bastion',
        'Host nowhere-proxied',
        '  HostName 192.0.2.1',
        `  ProxyCommand ssh -F ${config} -W %h:%p no-such-bastion.invalid`,
        '',
      ].join('\n'),
    );
    const inventory = join(fleet.dir, 'proxied.yaml');
    await writeFile(
      inventory,
      stringify({
        defaults: { user: fleet.user, become: true, identityFile: fleet.keyFile, roles: ['control-plane'] },
        clusters: { inner: { hosts: ['inner1-proxied', 'inner2-jumped', 'nowhere-proxied'] } },
      }),
    );
    const run = await scan(inventory, {}, ['-F', config]);
    const outcome = (name: string) => run.result.hosts.find((h) => h.name === name);
    expect(outcome('inner1-proxied')).toMatchObject({ reached: true, privilege: 'sudo', address: fleet.host('inner1').address });
    expect(outcome('inner2-jumped')).toMatchObject({ reached: true, privilege: 'sudo', address: fleet.host('inner2').address });
    expect(outcome('nowhere-proxied')).toMatchObject({ reached: false, errorKind: 'connection' });
    expect(outcome('nowhere-proxied')?.error).toMatch(
      /^192\.0\.2\.1:22 via ProxyCommand: the ProxyCommand exited with status 255 .*it said: .*no-such-bastion\.invalid/,
    );
    // Nothing the ProxyCommands started is left once fleetbench has exited.
    expect(await processesWith(config)).toEqual([]);
    // The ProxyJump hop is the alias, logged in to with its own User, key and known_hosts.
    const listed = await fleet.runInFabric(process.execPath, [CLI, 'inventory', '-i', inventory, '-F', config], { env: { ...process.env, HOME: fleet.dir } });
    expect(listed.stdout).toContain(`${fleet.user}@${bastion.address}`);
    expect(listed.stdout).toContain(`ProxyCommand ssh -F ${config} -W ${fleet.host('inner1').address}:22 bastion`);
  });

  it('scans 200 addresses of one sshd, 64 at a time, through its default MaxStartups, without calling any unreachable', async () => {
    const crowd = (await scan(join(fleet.dir, 'crowd.yaml'), {}, ['--timeout', '90'])).result.hosts;
    expect(crowd).toHaveLength(CROWD);
    expect(crowd.filter((h) => !h.reached).map((h) => `${h.name}: ${h.error}`)).toEqual([]);
  }, 150_000);

  it('says what a host whose sudo wants a password could not read, and how to fix it', () => {
    expect(host('pwhost')).toMatchObject({ reached: true, privilege: 'unprivileged' });
    expect(host('pwhost').problems[0]!.reason).toMatch(
      /^sudo refused \(sudo: a password is required\): allow audit to run sudo without a password \(NOPASSWD\), or give the password with FLEETBENCH_SUDO_PASSWORD or -K \(--ask-become-pass\)/,
    );
  });

  it('ends the silent, the stalled and the flooding host within their deadline, each with its reason', () => {
    expect(host('silent')).toMatchObject({ reached: false, errorKind: 'timeout' });
    expect(host('silent').error).toMatch(/did not complete the SSH handshake in time/);
    expect(host('stall')).toMatchObject({ reached: false, errorKind: 'timeout' });
    expect(host('stall').error).toMatch(/^no result within 10s \(stopped while running the probe\)/);
    expect(host('flood')).toMatchObject({ reached: false, errorKind: 'output-too-large' });
    for (const name of ['silent', 'stall', 'flood']) expect(host(name).durationMs, name).toBeLessThan(11_500);
    expect(elapsedMs).toBeLessThan(60_000);
  });

  it('runs the probe as root with a sudo password given in the environment, and never shows it', async () => {
    const only = join(fleet.dir, 'pw.yaml');
    await writeFile(
      only,
      stringify({
        defaults: { user: fleet.user, become: true, identityFile: fleet.keyFile },
        clusters: { odd: { hosts: [{ name: 'pwhost', address: fleet.host('pwhost').address }] } },
      }),
    );
    const run = await scan(only, { FLEETBENCH_SUDO_PASSWORD: SUDO_PASSWORD });
    expect(run.result.hosts[0]).toMatchObject({ reached: true, privilege: 'sudo', problems: [] });
    expect(JSON.stringify(run.result) + run.stderr).not.toContain(SUDO_PASSWORD);
    const log = await readFile(join(fleet.host('pwhost').logDir, 'sshd.log'), 'utf8');
    expect(log).not.toContain(SUDO_PASSWORD);
  });

  it('loads a kubespray inventory with a bastion group and an Ansible inventory with nested groups', async () => {
    const bastion = fleet.host('bastion');
    const kubespray = join(fleet.dir, 'hosts.yaml');
    const node = (name: string) => ({ ansible_host: fleet.host(name).address, ip: fleet.host(name).address });
    await writeFile(
      kubespray,
      stringify({
        all: {
          vars: { ansible_user: fleet.user, ansible_ssh_private_key_file: fleet.keyFile, ansible_become: true },
          hosts: {
            inner1: node('inner1'),
            inner2: node('inner2'),
            inner3: node('inner3'),
            bastion: { ansible_host: bastion.address, ansible_user: fleet.user },
          },
          children: {
            bastion: { hosts: { bastion: null } },
            kube_control_plane: { hosts: { inner1: null, inner2: null } },
            etcd: { hosts: { inner1: null, inner2: null, inner3: null } },
            kube_node: { hosts: { inner3: null } },
            k8s_cluster: { children: { kube_control_plane: null, kube_node: null } },
          },
        },
      }),
    );
    const kubesprayRun = await scan(kubespray);
    expect(kubesprayRun.result.hosts.map((h) => [h.name, h.reached, h.roles])).toEqual([
      ['inner1', true, ['etcd', 'control-plane']],
      ['inner2', true, ['etcd', 'control-plane']],
      ['inner3', true, ['etcd', 'worker']],
    ]);

    const ansible = join(fleet.dir, 'ansible.yaml');
    await writeFile(
      ansible,
      stringify({
        all: {
          vars: { ansible_user: fleet.user, ansible_ssh_private_key_file: fleet.keyFile },
          children: {
            control: {
              vars: { ansible_become: 'yes', fleetbench_roles: ['control-plane'], fleetbench_cluster: 'lab' },
              hosts: { pwhost: { ansible_host: fleet.host('pwhost').address, ansible_port: 22 } },
            },
          },
        },
      }),
    );
    const ansibleRun = await scan(ansible, { FLEETBENCH_SUDO_PASSWORD: SUDO_PASSWORD });
    expect(ansibleRun.result.hosts).toMatchObject([{ name: 'pwhost', cluster: 'lab', reached: true, privilege: 'sudo' }]);
  });
});

/** Processes whose command line contains `marker`, as `pid: command line`. */
async function processesWith(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found.push(`${entry}: ${cmdline.replaceAll('\0', ' ')}`);
  }
  return found;
}
