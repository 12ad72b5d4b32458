import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFleetAccess } from '../../src/demo/fleet-access.js';
import { loadFixture } from '../../src/demo/fixtures.js';
import { startFleet } from '../../src/demo/ssh-fleet.js';
import type { ScanResult } from '../../src/model.js';
import { runCli } from '../support/cli.js';

describe('fleetbench scan behind a kubespray bastion', () => {
  it("logs in to the bastion with the bastion's own key file, not only the targets' keys", async () => {
    const fixture = await loadFixture('kubeadm-single');
    const fleet = await startFleet([
      { name: 'bastion', behaviour: { kind: 'bastion', maxChannels: 10 } },
      { name: 'cp1', behaviour: { kind: 'fixture', fixture } },
    ]);
    const access = await writeFleetAccess(fleet);
    try {
      const [bastion, cp1] = fleet.hosts;
      // The same key under another name: what matters is that this file is loaded at all.
      const bastionKey = join(access.dir, 'bastion_key');
      await copyFile(access.keyFile, bastionKey);
      const inventory = join(access.dir, 'hosts.yaml');
      await writeFile(
        inventory,
        [
          'all:',
          '  hosts:',
          `    cp1: {ansible_host: ${cp1!.address}, ansible_port: ${cp1!.port}, ansible_ssh_private_key_file: ${access.keyFile}}`,
          `    bastion: {ansible_host: ${bastion!.address}, ansible_port: ${bastion!.port}, ansible_ssh_private_key_file: ${bastionKey}}`,
          '  vars:',
          `    ansible_user: ${fleet.user}`,
          '    ansible_become: true',
          '  children:',
          '    etcd: {hosts: {cp1: }}',
          '    bastion: {hosts: {bastion: }}',
          '',
        ].join('\n'),
      );
      const run = await runCli(['scan', '-i', inventory, '--known-hosts', access.knownHostsFile, '--no-ssh-config', '-f', 'json']);
      const result = JSON.parse(run.stdout) as ScanResult;
      expect(result.hosts.map((h) => [h.name, h.reached, h.error])).toEqual([['cp1', true, undefined]]);
      expect(fleet.bastions.get('bastion')!.channels).toBe(1);
      expect(run.stderr).not.toMatch(/will not be used|not loaded/);
    } finally {
      await fleet.stop();
      await access.remove();
    }
  });
});
