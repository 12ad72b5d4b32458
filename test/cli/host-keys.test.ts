import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetAccess } from '../../src/demo/fleet-access.js';
import { loadFleet, serveFleet } from '../../src/demo/fleet-file.js';
import type { ServedFleet } from '../../src/demo/fleet-file.js';
import type { ScanResult } from '../../src/model.js';
import { runCli } from '../support/cli.js';

describe('host key policies of fleetbench scan', () => {
  let served: ServedFleet;
  let access: FleetAccess;
  let inventory: string;
  beforeAll(async () => {
    served = await serveFleet(await loadFleet('demo'));
    ({ access, inventoryFile: inventory } = served);
  });
  afterAll(() => served.stop());

  it('--accept-new-host-keys records unknown hosts, after which the strict default trusts them', async () => {
    const knownHosts = join(access.dir, 'tofu_known_hosts');
    await writeFile(knownHosts, '');
    const first = await runCli(['scan', '-i', inventory, '--known-hosts', knownHosts, '--accept-new-host-keys', '--format', 'json']);
    expect(first.stderr).toMatch(/\[127\.0\.0\.1\]:\d+ ssh-ed25519 key SHA256:\S+ added to .*tofu_known_hosts/);
    expect((JSON.parse(first.stdout) as ScanResult).hosts.filter((h) => h.reached)).toHaveLength(7);
    const recorded = (await readFile(knownHosts, 'utf8')).trim().split('\n');
    expect(recorded).toHaveLength(7);
    expect(recorded[0]).toMatch(/^\[127\.0\.0\.1\]:\d+ ssh-ed25519 AAAA/);

    const second = await runCli(['scan', '-i', inventory, '--known-hosts', knownHosts, '--format', 'json']);
    expect((JSON.parse(second.stdout) as ScanResult).hosts.filter((h) => h.reached)).toHaveLength(7);
    expect(second.stderr).not.toMatch(/added to/);
  });

  it('--insecure-accept-any-host-key scans without known_hosts and says so loudly', async () => {
    const run = await runCli(['scan', '-i', inventory, '--known-hosts', '/nonexistent/known_hosts', '--insecure-accept-any-host-key', '--format', 'json']);
    expect(run.stderr).toMatch(/WARNING: --insecure-accept-any-host-key: host keys are NOT verified/);
    expect((JSON.parse(run.stdout) as ScanResult).hosts.filter((h) => h.reached)).toHaveLength(7);
  });

  it('refuses to combine trusting new keys with accepting any key', async () => {
    const run = await runCli(['scan', '-i', inventory, '--accept-new-host-keys', '--insecure-accept-any-host-key']);
    expect(run.code).toBe(64);
  });
});
