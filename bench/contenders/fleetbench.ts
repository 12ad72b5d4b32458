import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Finding, HostOutcome, ScanResult } from '../../src/model.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import type { Contender, Coverage } from './contender.js';

// fleetbench as a cron job runs it: the built CLI, an inventory, the fleet's known_hosts and key,
// results to a JSON file, nothing on stdout. Every address is a single-node cluster of its own,
// as the bench host is a single kubeadm control-plane node.

const CLI = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');

export function fleetbench(): Contender {
  return {
    name: 'fleetbench',
    // ssh2 puts curve25519-sha256@libssh.org first; OpenSSH's sshd accepts it.
    kex: 'curve25519-sha256',
    prepare: async (context, run) => {
      const inventory = join(run.dir, 'inventory.yaml');
      const clusters = Object.fromEntries(
        run.addresses.map((address, i) => {
          const name = `cp${String(i + 1).padStart(5, '0')}`;
          return [name, { hosts: [{ name, address }] }];
        }),
      );
      await writeFile(inventory, stringify({ defaults: { user: context.fleet.user, become: true, roles: ['etcd', 'control-plane'] }, clusters }));
      return {
        command: process.execPath,
        args: [
          CLI,
          'scan',
          '-i',
          inventory,
          '--known-hosts',
          context.fleet.knownHostsFile,
          '--private-key',
          context.fleet.keyFile,
          '-c',
          String(context.concurrency),
          '-o',
          join(run.dir, 'results.json'),
          '-q',
        ],
        env: context.env,
      };
    },
    check: async (_context, run): Promise<Coverage> => {
      const text = await readFile(join(run.dir, 'results.json'), 'utf8').catch(() => undefined);
      if (text === undefined) return { ok: 0, failures: ['no results.json'] };
      const result = JSON.parse(text) as ScanResult;
      const failures: string[] = [];
      for (const address of run.addresses) {
        const host = result.hosts.find((h) => h.address === address);
        const missing = host
          ? whyIncomplete(
              host,
              result.findings.filter((f) => f.host === host.name && f.status === 'ERROR'),
            )
          : 'not in the results';
        if (missing) failures.push(`${address}: ${missing}`);
      }
      return { ok: run.addresses.length - failures.length, failures };
    },
  };
}

/**
 * Complete: reached, the probe ran through sudo, every control judged. Problems the host reports
 * (things the probe could not read) are not held against it here: on the bench host, probes of
 * other sessions running at the same time show in each other's process lists and may end before
 * they are read, which no real host would see.
 */
function whyIncomplete(host: HostOutcome, errors: Finding[]): string | undefined {
  if (!host.reached) return `not reached: ${host.error ?? 'no reason given'}`;
  if (host.privilege !== 'sudo') return `the probe ran as ${host.privilege ?? 'unknown'}`;
  if (errors.length > 0) return `${errors.length} controls in ERROR (${errors.map((f) => `${f.control}: ${f.reason}`).join('; ')})`;
  return undefined;
}
