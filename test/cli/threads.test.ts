import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { writeFleetAccess } from '../../src/demo/fleet-access.js';
import type { FleetAccess } from '../../src/demo/fleet-access.js';
import { fleetInventory, loadFleet } from '../../src/demo/fleet-file.js';
import { STUCK_HOST } from '../support/fleet.js';
import { startFleet } from '../../src/demo/ssh-fleet.js';
import type { RunningFleet } from '../../src/demo/ssh-fleet.js';
import type { ScanResult } from '../../src/model.js';
import { interruptAfter, runCli } from '../support/cli.js';

// A scan shared between threads (--threads) must be the scan one thread makes: the same result,
// one decision per new host key, and an interrupt or a quit that reaches every thread.
describe('fleetbench scan --threads', () => {
  let fleet: RunningFleet;
  let access: FleetAccess;
  const out = (name: string) => join(access.dir, name);
  beforeAll(async () => {
    const members = [...(await loadFleet('demo')), STUCK_HOST];
    fleet = await startFleet(members.map((m) => m.spec));
    access = await writeFleetAccess(fleet);
    await writeFile(out('fleet.yaml'), fleetInventory(members.slice(0, -1), { ...fleet, hosts: fleet.hosts.slice(0, -1) }, access.keyFile));
    await writeFile(out('with-hung.yaml'), fleetInventory(members, fleet, access.keyFile));
  });
  afterAll(async () => {
    await fleet.stop();
    await access.remove();
  });

  /** The result without what differs from one run to the next: times. */
  const timeless = async (file: string) => {
    const result = JSON.parse(await readFile(file, 'utf8')) as ScanResult;
    return { ...result, startedAt: '', finishedAt: '', hosts: result.hosts.map((host) => ({ ...host, durationMs: 0 })) };
  };

  it('gives the result one thread gives, host for host and finding for finding', async () => {
    const one = await runCli(['scan', '-i', out('fleet.yaml'), '--known-hosts', access.knownHostsFile, '--threads', '1', '-v', '-o', out('one.json')]);
    const three = await runCli(['scan', '-i', out('fleet.yaml'), '--known-hosts', access.knownHostsFile, '--threads', '3', '-v', '-o', out('three.json')]);
    expect([one.code, three.code]).toEqual([1, 1]);
    expect(one.stderr).not.toContain('threads');
    expect(three.stderr).toContain('fleetbench: scanning with 3 threads\n');
    const finished = (stderr: string) => stderr.match(/^fleetbench: [^/\n]+\/[^:\n]+: (scanned as|not scanned)/gm)?.sort();
    expect(finished(three.stderr)).toEqual(finished(one.stderr));
    expect(finished(three.stderr)).toHaveLength(8);
    const [a, b] = [await timeless(out('one.json')), await timeless(out('three.json'))];
    expect(b.findings.length).toBeGreaterThan(80);
    expect(b).toEqual(a);
  });

  it('trusts a new host key once for the whole scan, whichever thread meets it first', async () => {
    // Two clusters (so two threads) whose hosts are one SSH server: both threads meet its key as new.
    const [first, second] = fleet.hosts;
    const host = (name: string, port: number) => ({ name, address: '127.0.0.1', port, roles: ['etcd', 'control-plane'], become: true });
    const clusters = { a: { hosts: [host('a1', first!.port), host('a2', second!.port)] }, b: { hosts: [host('b1', first!.port), host('b2', second!.port)] } };
    await writeFile(out('shared.yaml'), stringify({ defaults: { user: fleet.user, identityFile: access.keyFile }, clusters }));
    const knownHosts = out('new_known_hosts');
    const run = await runCli([
      'scan',
      '-i',
      out('shared.yaml'),
      '--known-hosts',
      knownHosts,
      '--accept-new-host-keys',
      '--threads',
      '2',
      '-o',
      out('shared.json'),
    ]);
    const lines = (await readFile(knownHosts, 'utf8')).trim().split('\n');
    expect(lines.map((line) => line.split(' ')[0]).sort()).toEqual([`[127.0.0.1]:${first!.port}`, `[127.0.0.1]:${second!.port}`].sort());
    expect(run.stderr.match(/added to /g)).toHaveLength(2);
    const result = JSON.parse(await readFile(out('shared.json'), 'utf8')) as ScanResult;
    expect(result.hosts.map((h) => [h.name, h.reached])).toEqual([
      ['a1', true],
      ['a2', true],
      ['b1', true],
      ['b2', true],
    ]);
  });

  it('on SIGINT stops every thread: the hosts not finished are not scanned, the rest is kept', async () => {
    const run = await runCli(['scan', '-i', out('with-hung.yaml'), '--known-hosts', access.knownHostsFile, '--threads', '3', '-v', '-o', out('partial.json')], {
      onStart: interruptAfter(8),
    });
    expect(run.stderr).toContain('SIGINT: stopping');
    const result = JSON.parse(await readFile(out('partial.json'), 'utf8')) as ScanResult;
    expect(result.interrupted).toBe(true);
    expect(result.hosts.find((h) => h.name === 'stuck-cp1')).toMatchObject({ reached: false, errorKind: 'not-scanned' });
    expect(result.hosts.filter((h) => h.reached)).toHaveLength(7);
    expect(run.code).toBe(1);
  });

  it("leaves no thread's ProxyCommand running after SIGINT, and quits at once on a second one", async () => {
    const marker = `${900 + Math.floor(Math.random() * 99)}.${process.pid}`;
    await writeFile(out('proxy_config'), `Host *\n  ProxyCommand sleep ${marker}\n`);
    const host = (name: string) => ({ name, address: '127.0.0.1', port: 22, roles: ['etcd', 'control-plane'] });
    await writeFile(
      out('proxied.yaml'),
      stringify({ defaults: { user: 'audit', identityFile: access.keyFile }, clusters: { a: { hosts: [host('p1')] }, b: { hosts: [host('p2')] } } }),
    );
    const sleeping = () => {
      try {
        return execFileSync('pgrep', ['-f', `sleep ${marker}`], { encoding: 'utf8' })
          .trim()
          .split('\n').length;
      } catch {
        return 0;
      }
    };
    const run = await runCli(
      ['scan', '-i', out('proxied.yaml'), '-F', out('proxy_config'), '--known-hosts', access.knownHostsFile, '--threads', '2', '-o', out('quit.json')],
      {
        onStart: (child) => {
          const poll = setInterval(() => {
            if (sleeping() < 2) return;
            clearInterval(poll);
            child.kill('SIGINT');
          }, 100);
          // The second as soon as the first is taken: the scan may still end first, as the first
          // SIGINT alone ends every ProxyCommand within moments.
          child.stderr?.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('SIGINT: stopping')) child.kill('SIGINT');
          });
          child.on('exit', () => clearInterval(poll));
        },
      },
    );
    expect(run.stderr).toContain('SIGINT: stopping');
    expect([130, 2]).toContain(run.code);
    expect(sleeping()).toBe(0);
  });
});
