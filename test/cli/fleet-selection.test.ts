import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetInventory, loadFleet, serveFleet } from '../../src/demo/fleet-file.js';
import type { ServedFleet } from '../../src/demo/fleet-file.js';
import type { ScanResult } from '../../src/model.js';
import { runCli } from '../support/cli.js';

// One fleet from several inventories, the part of it --limit names, the controls --check and
// --skip name, and one report from several scans: against the demo fleet over real SSH.
describe('scanning part of a fleet, or a fleet in parts', () => {
  let served: ServedFleet;
  let dir: string;
  const file = (name: string) => join(dir, name);
  beforeAll(async () => {
    served = await serveFleet(await loadFleet('demo'));
    dir = served.access.dir;
  });
  afterAll(() => served.stop());

  const scan = (args: string[], inventory: string[] = ['-i', served.inventoryFile]) =>
    runCli(['scan', ...inventory, '--known-hosts', served.access.knownHostsFile, '--no-ssh-config', ...args]);
  const json = (run: { stdout: string }) => JSON.parse(run.stdout) as ScanResult;
  /** The demo's hosts of `clusters`, as a native inventory of their own. */
  const part = async (name: string, clusters: string[]) => {
    const picked = served.members.map((member, i) => ({ member, host: served.fleet.hosts[i]! })).filter(({ member }) => clusters.includes(member.cluster));
    const text = fleetInventory(
      picked.map(({ member }) => member),
      { ...served.fleet, hosts: picked.map(({ host }) => host) },
      served.access.keyFile,
    );
    await writeFile(file(name), text);
    return file(name);
  };

  it('scans the union of several -i, and refuses a host two of them write differently, naming both places', async () => {
    const east = await part('east.yaml', ['prod-east', 'lab']);
    const rest = await part('rest.yaml', ['staging', 'legacy', 'lab']);
    const run = await scan(['--format', 'json'], ['-i', east, '-i', rest]);
    const result = json(run);
    expect(result.hosts.map((h) => h.name).sort()).toEqual(served.members.map((m) => m.name).sort());
    expect(result.inventory).toBe(`${east}, ${rest}`);

    // lab-cp1, in both, moved to another port in one.
    await writeFile(file('moved.yaml'), (await readFile(rest, 'utf8')).replace(/(name: lab-cp1\n\s+address: \S+\n\s+port: )\d+/, '$11'));
    const conflict = await scan([], ['-i', east, '-i', file('moved.yaml')]);
    expect(conflict.code).toBe(65);
    expect(conflict.stderr).toMatch(
      new RegExp(`^${file('moved.yaml')}:\\d+:\\d+: host "lab-cp1" is also at ${east}:\\d+:\\d+, with other settings \\(port \\d+ there, 1 here\\)`, 'm'),
    );
  });

  it('reads an Ansible inventory folder: hosts in one file, groups in another, variables in group_vars/', async () => {
    const inventory = file('ansible');
    const stage = served.members.flatMap((member, i) => (member.cluster === 'staging' ? [{ name: member.name, port: served.fleet.hosts[i]!.port }] : []));
    await mkdir(join(inventory, 'group_vars'), { recursive: true });
    await writeFile(
      join(inventory, 'hosts.yml'),
      `all:\n  hosts:\n${stage.map((h) => `    ${h.name}: {ansible_host: 127.0.0.1, ansible_port: ${h.port}}\n`).join('')}`,
    );
    await writeFile(join(inventory, 'groups.ini'), `[etcd]\n${stage.map((h) => h.name).join('\n')}\n[kube_control_plane:children]\netcd\n`);
    await writeFile(
      join(inventory, 'group_vars', 'all.yml'),
      `ansible_user: ${served.fleet.user}\nansible_ssh_private_key_file: ${served.access.keyFile}\nfleetbench_cluster: staging\n`,
    );
    await writeFile(join(inventory, 'README.md'), '# not an inventory\n');
    const result = json(await scan(['--format', 'json', '-b'], ['-i', inventory]));
    expect(result.inventory).toBe(inventory);
    expect(result.hosts.map((h) => [h.cluster, h.name, h.reached, h.privilege])).toEqual(stage.map((h) => ['staging', h.name, true, 'sudo']));
  });

  it('logs in as -u and becomes root with -b, as ansible does (no more "-b argument is ambiguous")', async () => {
    const [stage1] = served.members.flatMap((member, i) => (member.name === 'stage-node1' ? [served.fleet.hosts[i]!.port] : []));
    await writeFile(
      file('bare.ini'),
      `[etcd]\nstage-node1 ansible_host=127.0.0.1 ansible_port=${stage1} ansible_ssh_private_key_file=${served.access.keyFile}\n`,
    );
    const plain = json(await scan(['--format', 'json', '-u', served.fleet.user], ['-i', file('bare.ini')]));
    const become = json(await scan(['--format', 'json', '-b', '-u', served.fleet.user], ['-i', file('bare.ini')]));
    expect([plain.hosts[0]!.privilege, become.hosts[0]!.privilege]).toEqual(['unprivileged', 'sudo']);
  });

  it('scans what --limit names and the controls --check names, says so in the result, and counts the cluster whole', async () => {
    const run = await scan(['--format', 'json', '--limit', 'staging:!stage-node3', '--check', '2.2,etcd-cert-file', '-v']);
    const result = json(run);
    expect(result.hosts.map((h) => h.name)).toEqual(['stage-node1', 'stage-node2']);
    expect([...new Set(result.findings.map((f) => f.ruleId))].sort()).toEqual(['etcd-cert-file', 'etcd-client-cert-auth']);
    expect(result.selection).toEqual({
      limit: 'staging:!stage-node3',
      check: ['2.2', 'etcd-cert-file'],
      hostsLeftOut: 6,
      rulesLeftOut: expect.arrayContaining(['etcd-no-auto-tls', 'etcd-unique-ca']) as string[],
    });
    // stage-node3 was not scanned, but the cluster still has three etcd members.
    expect(result.clusters).toEqual([expect.objectContaining({ name: 'staging', memberCount: 3, notScanned: ['stage-node3'] })]);
    expect(run.stderr).toContain('fleetbench: --limit scans 2 of the 3 hosts of cluster staging');
    expect(run.stderr).toMatch(/^fleetbench: scanning 2 hosts in 1 cluster of .*inventory\.yaml \(--limit staging:!stage-node3 leaves out 6\), 2 controls/m);
    expect(run.stderr).toMatch(/^fleetbench: staging\/stage-node1: scanned as sudo \(\d+\.\d s\)$/m);

    const skipped = json(await scan(['--format', 'json', '--limit', '@' + (await hostList(['lab-cp1'])), '--skip', 'etcd-cluster-membership']));
    expect(skipped.hosts.map((h) => h.name)).toEqual(['lab-cp1']);
    expect(skipped.findings.map((f) => f.ruleId)).not.toContain('etcd-cluster-membership');
    expect(skipped.selection).toMatchObject({ skip: ['etcd-cluster-membership'], rulesLeftOut: ['etcd-cluster-membership'] });
  });

  const hostList = async (names: string[]) => {
    await writeFile(file('retry.txt'), `${names.join('\n')}\n\n`);
    return file('retry.txt');
  };

  it('refuses a --limit or --check that names nothing, before connecting', async () => {
    const limit = await scan(['--limit', 'stagign']);
    expect([limit.code, limit.stderr]).toEqual([
      64,
      'fleetbench: --limit stagign: "stagign" names no host, group or cluster of the inventory; did you mean staging?\nRun fleetbench scan --help for its options.\n',
    ]);
    const check = await scan(['--check', '2.99']);
    expect(check.code).toBe(64);
    expect(check.stderr).toMatch(/^fleetbench: --check "2\.99": no rule has this id or CIS 1\.12 control number/);
  });

  it('merges the results of scans of different clusters into one report, with the exit code scan would give', async () => {
    await scan(['-q', '-o', file('east.json'), '--limit', 'prod-east,lab']);
    expect((await scan(['-q', '-o', file('rest.json'), '--limit', 'staging:legacy'])).code).toBe(1);
    const merged = await runCli(['report', file('east.json'), file('rest.json'), '--format', 'json']);
    expect(merged.code).toBe(1);
    const result = json(merged);
    expect(result.hosts).toHaveLength(served.members.length);
    expect(result.mergedFrom?.map((source) => [source.file, source.selection?.limit])).toEqual([
      [file('east.json'), 'prod-east,lab'],
      [file('rest.json'), 'staging:legacy'],
    ]);
    const quiet = await runCli(['report', file('east.json'), file('rest.json'), '-o', file('merged.html'), '--fail-on', 'never']);
    expect([quiet.code, quiet.stdout]).toEqual([2, '']);
    expect(await readFile(file('merged.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('refuses to merge a host two results judge differently, or a cluster split between scans, naming the files', async () => {
    const rest = JSON.parse(await readFile(file('rest.json'), 'utf8')) as ScanResult;
    const changed = rest.findings.findIndex((f) => f.host === 'stage-node1' && f.status === 'FAIL');
    rest.findings[changed]!.status = 'PASS';
    await writeFile(file('rest-fixed.json'), JSON.stringify(rest));
    const overlap = await runCli(['report', file('rest.json'), file('rest-fixed.json')]);
    expect(overlap.code).toBe(65);
    expect(overlap.stderr).toContain(`host stage-node1 is in ${file('rest.json')} and in ${file('rest-fixed.json')} with different outcomes or findings`);

    await scan(['-q', '-o', file('east-cp1.json'), '--limit', 'east-cp1']);
    const split = await runCli(['report', file('east.json'), file('east-cp1.json')]);
    expect(split.code).toBe(65);
    expect(split.stderr).toContain(
      `cluster prod-east has hosts in ${file('east.json')} (east-cp1, east-cp2, east-cp3) and ${file('east-cp1.json')} (east-cp1)`,
    );
  });
});
