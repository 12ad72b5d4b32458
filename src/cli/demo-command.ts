import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fleetInventory, loadFleet } from '../demo/fleet-file.js';
import { writeFleetAccess } from '../demo/fleet-access.js';
import { startFleet } from '../demo/ssh-fleet.js';
import { loadInventory } from '../inventory/load.js';
import type { Rule } from '../rules/rule-file.js';
import { EXIT } from './exit-codes.js';
import type { Environment, ScanValues } from './options.js';
import { scanSettings } from './options.js';
import type { Io } from './scan-command.js';
import { runScan } from './scan-command.js';

/**
 * Starts the built-in demo fleet (real SSH servers on loopback, one per fixture host), writes the
 * inventory, known_hosts and key a user would have, and scans it through the normal scan path.
 * The demo exits 0 when it ran: its findings are the point, not a failure.
 */
export async function runDemo(values: ScanValues, rules: Rule[], environment: Environment, io: Io): Promise<number> {
  const members = await loadFleet('demo');
  const fleet = await startFleet(members.map((m) => m.spec));
  const access = await writeFleetAccess(fleet);
  try {
    const inventoryPath = join(access.dir, 'inventory.yaml');
    await writeFile(inventoryPath, fleetInventory(members, fleet, access.keyFile), { mode: 0o600 });
    const ports = fleet.hosts.map((h) => h.port);
    if (!values.quiet) {
      io.stderr.write(
        `fleetbench demo: started ${fleet.hosts.length} SSH servers on 127.0.0.1 (ports ${Math.min(...ports)}-${Math.max(...ports)}), ` +
          `one per fixture host; scanning them over SSH with host keys checked against ${access.knownHostsFile}\n`,
      );
    }
    const settings = scanSettings({ ...values, 'known-hosts': [access.knownHostsFile], identity: [access.keyFile] }, environment);
    await runScan(await loadInventory(inventoryPath), rules, settings, { ...io, env: { ...io.env, SSH_AUTH_SOCK: undefined } });
    return EXIT.ok;
  } finally {
    await fleet.stop();
    await access.remove();
  }
}
