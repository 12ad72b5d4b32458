import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetAccess } from '../../src/demo/fleet-access.js';
import { loadFleet, serveFleet } from '../../src/demo/fleet-file.js';
import type { ServedFleet } from '../../src/demo/fleet-file.js';
import type { ScanResult } from '../../src/model.js';
import { runCli } from '../support/cli.js';

describe('fleetbench demo', () => {
  it('scans the built-in fleet over SSH and prints the plain report when stdout is not a terminal', async () => {
    const run = await runCli(['demo']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/started 8 SSH servers on 127\.0\.0\.1/);
    expect(run.stdout).toMatch(/^FAIL {4}staging {4}stage-node1 /m);
    expect(run.stdout).toMatch(/^ERROR +legacy +legacy-cp1 .*connection refused/m);
    expect(run.stdout).toMatch(/^TOTAL {2}83 PASS · 5 FAIL · 1 WARN · 9 N\/A · 14 ERROR \(14 ERROR on the host not audited\)$/m);
    expect(run.stdout).not.toMatch(/\u001b/);
  });

  it('writes JSON with the documented field names', async () => {
    const run = await runCli(['demo', '--format', 'json']);
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(result).toMatchObject({ schemaVersion: '1.1', benchmark: 'cis-1.12', tool: { name: 'fleetbench' } });
    expect(Object.keys(result.hosts[0]!)).toEqual(expect.arrayContaining(['name', 'cluster', 'address', 'reached']));
    expect(result.hosts.find((h) => h.name === 'legacy-cp1')).toMatchObject({ reached: false, errorKind: 'refused' });
    const finding = result.findings.find((f) => f.host === 'stage-node1' && f.ruleId === 'etcd-no-auto-tls')!;
    expect(finding).toMatchObject({ cluster: 'staging', control: '2.3', status: 'FAIL', title: 'Ensure that the --auto-tls argument is not set to true' });
    expect(finding.evidence).toEqual([
      { source: 'environment of pid 812', key: 'ETCD_AUTO_TLS', value: 'true' },
      { source: '/etc/etcd.env line 24', key: 'ETCD_AUTO_TLS', value: 'true' },
    ]);
    expect(finding.remediation).toMatch(/--auto-tls=false/);
  });
});

describe('fleetbench scan', () => {
  let served: ServedFleet;
  let access: FleetAccess;
  let inventory: string;
  beforeAll(async () => {
    served = await serveFleet(await loadFleet('demo'));
    ({ access, inventoryFile: inventory } = served);
  });
  afterAll(() => served.stop());
  /** A host of the fleet where sudo needs no password, for inventories of other shapes. */
  const sudoHost = () => {
    const index = served.members.findIndex((m) => m.fixture?.sudo === 'nopasswd');
    const { address, port } = served.fleet.hosts[index]!;
    return { name: served.members[index]!.name, address, port };
  };

  it('exits 1 when a control fails, writes -o files, and keeps stdout quiet for cron', async () => {
    const out = join(access.dir, 'results.json');
    const run = await runCli(['scan', '-i', inventory, '--known-hosts', access.knownHostsFile, '-o', out, '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
    const result = JSON.parse(await readFile(out, 'utf8')) as ScanResult;
    expect(result.hosts).toHaveLength(8);
  });

  it('exits 0 with --fail-on never when nothing but FAILs is wrong, and 2 when a host was unreachable', async () => {
    const run = await runCli(['scan', '-i', inventory, '--known-hosts', access.knownHostsFile, '--fail-on', 'never']);
    expect(run.code).toBe(2);
  });

  it('numbers controls for the chosen benchmark', async () => {
    const run = await runCli(['scan', '-i', inventory, '--known-hosts', access.knownHostsFile, '--benchmark', '1.5', '--format', 'json']);
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(result.benchmark).toBe('cis-1.5');
    expect(result.findings.find((f) => f.ruleId === 'apiserver-etcd-cafile')!.control).toBe('1.2.32');
  });

  it('becomes root with --become on hosts of an Ansible inventory that says nothing of it, in inventory and scan alike', async () => {
    const { name, address, port } = sudoHost();
    const file = join(access.dir, 'kubespray.yaml');
    await writeFile(
      file,
      [
        'all:',
        '  hosts:',
        `    ${name}: {ansible_host: ${address}, ansible_port: ${port}, ansible_user: ${served.fleet.user}, ansible_ssh_private_key_file: ${access.keyFile}}`,
        '  children:',
        `    etcd: {hosts: {${name}: }}`,
        '',
      ].join('\n'),
    );
    const listed = async (...extra: string[]) => (await runCli(['inventory', '-i', file, '--no-ssh-config', '-f', 'json', ...extra])).stdout;
    expect((JSON.parse(await listed()) as { targets: { become: boolean }[] }).targets[0]!.become).toBe(false);
    expect((JSON.parse(await listed('--become')) as { targets: { become: boolean }[] }).targets[0]!.become).toBe(true);
    const privilege = async (...extra: string[]) => {
      const run = await runCli(['scan', '-i', file, '--no-ssh-config', '--known-hosts', access.knownHostsFile, '--format', 'json', ...extra]);
      return (JSON.parse(run.stdout) as ScanResult).hosts[0]!.privilege;
    };
    expect(await privilege()).toBe('unprivileged');
    expect(await privilege('--become')).toBe('sudo');
  });

  it("scans a host of an INI inventory, as kubespray's sample inventory.ini writes them, as the user -u names", async () => {
    const { name, address, port } = sudoHost();
    const file = join(access.dir, 'inventory.ini');
    await writeFile(
      file,
      [
        '[kube_control_plane]',
        `${name} ansible_host=${address} ansible_port=${port}  # ip=10.3.0.1 etcd_member_name=etcd1`,
        '[etcd:children]',
        'kube_control_plane',
        '[all:vars]',
        `ansible_ssh_private_key_file=${access.keyFile}`,
        'ansible_become=true',
        '',
      ].join('\n'),
    );
    // The user comes from the command line, as `ansible-playbook -u` gives it to kubespray.
    const run = await runCli(['scan', '-i', file, '-u', served.fleet.user, '--no-ssh-config', '--known-hosts', access.knownHostsFile, '--format', 'json']);
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(result.hosts.map((h) => [h.name, h.cluster, h.reached, h.privilege])).toEqual([[name, 'inventory', true, 'sudo']]);
    expect(result.findings.filter((f) => f.host === name && f.status !== 'ERROR').length).toBeGreaterThan(5);
  });

  it('refuses every host when known_hosts does not know them', async () => {
    const empty = join(access.dir, 'empty_known_hosts');
    await writeFile(empty, '');
    const run = await runCli(['scan', '-i', inventory, '--known-hosts', empty, '--format', 'json']);
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(result.hosts.filter((h) => h.errorKind === 'host-key')).toHaveLength(7);
    expect(run.code).toBe(2);
  });
});

describe('bad input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetbench-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 64 on bad usage with a pointer to --help', async () => {
    const run = await runCli(['scan']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/scan needs an inventory: fleetbench scan -i inventory.yaml\nRun fleetbench scan --help for its options/);
    expect((await runCli(['scan', '-i', 'x.yaml', '--concurrency', 'lots'])).stderr).toMatch(/--concurrency must be a whole number/);
    expect((await runCli(['frobnicate'])).code).toBe(64);
    const badUser = await runCli(['inventory', '-i', 'x.yaml', '-u', 'root;reboot']);
    expect([badUser.code, badUser.stderr]).toEqual([64, expect.stringMatching(/^fleetbench: --user "root;reboot" is not a valid user name/)]);
    for (const command of ['scan', 'demo', 'report', 'inventory', 'rules']) {
      const unknown = await runCli([command, '--bogus']);
      expect({ command, code: unknown.code }).toEqual({ command, code: 64 });
      expect(unknown.stderr, command).toBe(
        `fleetbench: unknown option --bogus for ${command} (fleetbench ${command} --help lists them)\nRun fleetbench ${command} --help for its options.\n`,
      );
    }
  });

  it('exits 65 on an invalid inventory, naming file, line and column', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'clusters:\n  prod:\n    hosts:\n      - name: cp1\n        port: 99999\n');
    const run = await runCli(['scan', '-i', file]);
    expect(run.code).toBe(65);
    expect(run.stderr).toContain(`${file}:5:15: port must be`);
  });

  it('shows the control characters and bidi overrides an error message quotes, instead of sending them to the terminal', async () => {
    const file = join(dir, 'hostile.yaml');
    await writeFile(file, 'clusters:\n  prod:\n    hosts:\n      - name: cp1\n        "\\e]0;pwned\\a\\u202egol": 1\n');
    const run = await runCli(['scan', '-i', file, '--format', '\u009b2J']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('\\x9b2J');
    const inventory = await runCli(['scan', '-i', file]);
    expect(inventory.code).toBe(65);
    expect(inventory.stderr).toContain('\\u001b]0;pwned\\u0007\\u202egol');
    for (const text of [run.stderr, inventory.stderr]) expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('help', () => {
  it("shows each command's own options with COMMAND --help, and the commands with --help", async () => {
    for (const command of ['scan', 'demo', 'report', 'inventory', 'rules']) {
      const run = await runCli([command, '--help']);
      expect({ command, code: run.code }).toEqual({ command, code: 0 });
      expect(run.stdout, command).toMatch(new RegExp(`^Usage: fleetbench ${command} `));
    }
    expect((await runCli(['inventory', '--help'])).stdout).toMatch(/^ {2}-l, --limit PATTERN /m);
    expect((await runCli(['rules', '-h'])).stdout).toMatch(/^ {6}--check ID,\.\.\. /m);
    const main = await runCli(['--help']);
    expect(main.stdout).toMatch(/^ {2}fleetbench report RESULT\.json\.\.\. \[options\] +the report of saved results, merged into one$/m);
    expect(main.stdout).toContain('Run fleetbench COMMAND --help for the options of a command.');
  });

  it('suggests the command meant', async () => {
    const run = await runCli(['scna']);
    expect([run.code, run.stderr]).toEqual([64, 'fleetbench: unknown command "scna"; did you mean scan?\nRun fleetbench --help for usage.\n']);
  });
});

describe('fleetbench rules', () => {
  it('lists the controls --check chooses, as JSON for machines', async () => {
    const run = await runCli(['rules', '--format', 'json', '--check', '2.2,etcd-manifest-perms', '--benchmark', '1.6']);
    expect(run.code).toBe(0);
    const rules = JSON.parse(run.stdout) as { id: string; control: string; benchmark: string }[];
    expect(rules.map((r) => [r.control, r.id, r.benchmark])).toEqual([
      ['1.1.7', 'etcd-manifest-perms', 'cis-1.6'],
      ['2.2', 'etcd-client-cert-auth', 'cis-1.6'],
    ]);
  });

  it('lists the controls with the numbers of the chosen benchmark', async () => {
    const newest = await runCli(['rules']);
    expect(newest.stdout).toMatch(/^1\.2\.26 +apiserver-etcd-cafile +kube-apiserver/m);
    expect(newest.stdout).toMatch(/^2\.4 +etcd-peer-cert-file +etcd +etcd clusters only/m);
    const old = await runCli(['rules', '--benchmark', '1.6']);
    expect(old.stdout).toMatch(/^1\.2\.32 +apiserver-etcd-cafile/m);
  });
});
