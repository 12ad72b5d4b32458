import { existsSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFleetAccess } from '../../src/demo/fleet-access.js';
import type { FleetAccess } from '../../src/demo/fleet-access.js';
import { fleetInventory, loadFleet } from '../../src/demo/fleet-file.js';
import { STUCK_HOST } from '../support/fleet.js';
import { startFleet } from '../../src/demo/ssh-fleet.js';
import type { RunningFleet } from '../../src/demo/ssh-fleet.js';
import type { ScanResult } from '../../src/model.js';
import { interruptAfter, runCli } from '../support/cli.js';

// What cron and auditors get: files in every format from one scan, waivers, baselines, and an
// interrupted run that keeps what it finished.
describe('fleetbench scan outputs', () => {
  let fleet: RunningFleet;
  let access: FleetAccess;
  let inventory: string;
  const out = (name: string) => join(access.dir, name);
  beforeAll(async () => {
    const demo = await loadFleet('demo');
    const members = [...demo, STUCK_HOST];
    fleet = await startFleet(members.map((m) => m.spec));
    access = await writeFleetAccess(fleet);
    inventory = out('fleet.yaml');
    await writeFile(inventory, fleetInventory(members.slice(0, -1), { ...fleet, hosts: fleet.hosts.slice(0, -1) }, access.keyFile));
    await writeFile(out('with-hung.yaml'), fleetInventory(members, fleet, access.keyFile));
  });
  afterAll(async () => {
    await fleet.stop();
    await access.remove();
  });
  const scan = (...args: string[]) => runCli(['scan', '-i', inventory, '--known-hosts', access.knownHostsFile, '-q', ...args]);

  it('writes every requested format from one scan, by extension, and nothing on stdout', async () => {
    const run = await scan('-o', out('r.json'), '-o', out('r.csv'), '-o', out('r.html'), '-o', out('r.xml'), '-o', out('r.txt'), '-o', out('r.prom'));
    expect(run.stdout).toBe('');
    const json = JSON.parse(await readFile(out('r.json'), 'utf8')) as ScanResult;
    expect(json.findings.length).toBeGreaterThan(80);
    const csv = await readFile(out('r.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^cluster,host,address,control,rule id,title,status,reason,expected,actual,evidence,remediation,benchmark,scanned at/);
    expect((await readFile(out('r.html'), 'utf8')).startsWith('<!DOCTYPE html>')).toBe(true);
    expect(await readFile(out('r.xml'), 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites/);
    const text = await readFile(out('r.txt'), 'utf8');
    expect(text).toMatch(/^TOTAL/m);
    expect(text).not.toContain('NEXT STEPS');
    const metrics = await readFile(out('r.prom'), 'utf8');
    expect(metrics).toMatch(/^# HELP fleetbench_info /);
    expect(metrics).toMatch(/^fleetbench_hosts_not_audited\{cluster="[^"]+"\} 1$/m);
    expect((await import('node:fs')).readdirSync(access.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('ends the text report on stdout with the next steps, naming the result it saved', async () => {
    const run = await scan('--format', 'text', '-o', out('next.json'));
    expect(run.stdout).toContain(`\nNEXT STEPS\n  interactive report  fleetbench report ${out('next.json')}   (in a terminal`);
    expect(run.stdout).toContain('\n  HTML report         add -o report.html');
    const json = await scan('--format', 'json');
    expect(json.stdout).not.toContain('NEXT STEPS');
  });

  it('reports WARNs in JUnit as skipped, and as failures under --fail-on warn, as the exit code counts them', async () => {
    const byDefault = await scan('-o', out('default.xml'));
    const strict = await scan('-o', out('strict.xml'), '--fail-on', 'warn');
    const skipped = await readFile(out('default.xml'), 'utf8');
    const failing = await readFile(out('strict.xml'), 'utf8');
    const warnings = (xml: string, element: RegExp) => xml.match(element)?.length ?? 0;
    expect(warnings(skipped, /<skipped message="WARN: /g)).toBeGreaterThan(0);
    expect(warnings(skipped, /type="WARN"/g)).toBe(0);
    expect(warnings(failing, /<failure message="[^"]*" type="WARN">/g)).toBe(warnings(skipped, /<skipped message="WARN: /g));
    expect([byDefault.code, strict.code]).toEqual([1, 1]);
  });

  it('does not fail the run for waived FAILs, and says which waivers expired', async () => {
    const waivers = out('waivers.yaml');
    await writeFile(
      waivers,
      [
        'waivers:',
        '  - rule: etcd-data-dir-owner',
        '    host: "*"',
        '    justification: kubeadm runs etcd as root; tracked in SEC-1234',
        '    expires: 2099-12-31',
        '  - rule: etcd-client-cert-auth',
        '    cluster: staging',
        '    justification: old exception',
        '    expires: 2020-01-01',
      ].join('\n') + '\n',
    );
    const base = await scan('--format', 'json', '--fail-on', 'fail');
    const waived = await scan('--format', 'json', '--waivers', waivers);
    const result = JSON.parse(waived.stdout) as ScanResult;
    const owner = result.findings.filter((f) => f.ruleId === 'etcd-data-dir-owner' && f.status === 'FAIL');
    expect(owner.length).toBeGreaterThan(0);
    expect(owner.every((f) => f.waiver?.justification === 'kubeadm runs etcd as root; tracked in SEC-1234')).toBe(true);
    expect(result.expiredWaivers?.map((w) => w.rule)).toEqual(['etcd-client-cert-auth']);
    expect(base.code).toBe(1);
    expect(waived.code).toBe(1);
  });

  it('marks what changed since a baseline', async () => {
    await scan('-o', out('before.json'));
    const run = await scan('--format', 'json', '--baseline', out('before.json'));
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(result.baseline).toMatchObject({ file: out('before.json'), counts: { new: 0, resolved: 0 } });
    expect(result.findings.filter((f) => f.status === 'FAIL').every((f) => f.change === 'unchanged')).toBe(true);
  });

  it('refuses a broken baseline or waiver file before scanning, with exit 65', async () => {
    await writeFile(out('broken.json'), '{"schemaVersion": "9.0"}');
    const baseline = await scan('--baseline', out('broken.json'));
    expect(baseline.code).toBe(65);
    expect(baseline.stderr).toMatch(/schemaVersion "9.0" is not supported/);
    const missing = await scan('--baseline', out('missing.json'));
    expect(missing.code).toBe(65);
    expect(missing.stderr).toMatch(/cannot read \S*missing\.json: ENOENT/);
    await writeFile(out('broken-waivers.yaml'), 'waivers:\n  - rule: etcd-client-cert-auth\n    expires: someday\n');
    const waivers = await scan('--waivers', out('broken-waivers.yaml'));
    expect(waivers.code).toBe(65);
    expect(waivers.stderr).toMatch(/broken-waivers\.yaml:\d+:\d+:/);
  });

  it('checks every -o before the first connection, and names each that cannot be written', async () => {
    // A host key recorded would mean a connection was made.
    const knownHosts = out('empty_known_hosts');
    await writeFile(knownHosts, '');
    await mkdir(out('folder.json'), { recursive: true });
    const run = await runCli([
      'scan',
      '-i',
      inventory,
      '--known-hosts',
      knownHosts,
      '--accept-new-host-keys',
      '-o',
      out('missing/r.json'),
      '-o',
      out('folder.json'),
      '-o',
      out('fine.json'),
    ]);
    expect(run.code).toBe(64);
    expect(run.stderr).toBe(
      [
        `fleetbench: -o ${out('missing/r.json')}: the folder ${out('missing')} does not exist`,
        `-o ${out('folder.json')}: is a folder; name a file in it`,
        'Run fleetbench scan --help for its options.',
        '',
      ].join('\n'),
    );
    expect(existsSync(out('fine.json'))).toBe(false);
    expect(await readFile(knownHosts, 'utf8')).toBe('');
    const extension = await scan('-o', out('r.pdf'));
    expect([extension.code, extension.stderr.split('\n')[0]]).toEqual([
      64,
      `fleetbench: -o ${out('r.pdf')}: cannot tell the format from its extension; name a file ending in .json, .txt, .csv, .html, .htm, .xml, .prom`,
    ]);
  });

  it('writes every output it can when one fails during the scan, says which, and exits 73', async () => {
    await mkdir(out('gone'), { recursive: true });
    const run = await runCli(
      [
        'scan',
        '-i',
        out('with-hung.yaml'),
        '--known-hosts',
        access.knownHostsFile,
        '--timeout',
        '3',
        '-v',
        '-o',
        out('gone/r.json'),
        '-o',
        out('kept.json'),
        '-o',
        out('kept.csv'),
      ],
      {
        // Once the outputs were checked and the scan started, the folder goes away.
        onStart: (child) =>
          child.stderr?.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('fleetbench: scanning')) rmSync(out('gone'), { recursive: true, force: true });
          }),
      },
    );
    expect(run.code).toBe(73);
    expect(run.stderr).toMatch(new RegExp(`^fleetbench: cannot write ${out('gone/r.json')}: ENOENT`, 'm'));
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    expect((JSON.parse(await readFile(out('kept.json'), 'utf8')) as ScanResult).hosts).toHaveLength(9);
    expect(existsSync(out('kept.csv'))).toBe(true);
  });

  it('on SIGINT writes what finished and marks the rest as not scanned', async () => {
    const run = await runCli(
      ['scan', '-i', out('with-hung.yaml'), '--known-hosts', access.knownHostsFile, '-v', '-o', out('partial.json'), '--timeout', '60'],
      {
        // When every host but the stuck one has finished.
        onStart: interruptAfter(8),
      },
    );
    expect(existsSync(out('partial.json'))).toBe(true);
    const result = JSON.parse(await readFile(out('partial.json'), 'utf8')) as ScanResult;
    expect(result.interrupted).toBe(true);
    expect(result.hosts.find((h) => h.name === 'stuck-cp1')).toMatchObject({ reached: false, errorKind: 'not-scanned' });
    expect(result.hosts.filter((h) => h.reached)).toHaveLength(7);
    expect(run.code).toBe(1);
  });
});
