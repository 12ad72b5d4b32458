import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../demo/fixtures.js';
import { loadFleet, serveFleet } from '../demo/fleet-file.js';
import { loadInventory } from '../inventory/load.js';
import type { ScanResult } from '../model.js';
import type { Rule } from '../rules/rule-file.js';
import { EXIT } from './exit-codes.js';
import { showInteractiveReport } from './interactive-report.js';
import type { Environment, ScanSettings, ScanValues } from './options.js';
import { SCAN_OPTIONS, scanSettings, UsageError } from './options.js';
import type { Io } from './scan-command.js';
import { runScan } from './scan-command.js';

/**
 * `demo` takes the scan options and, unlisted in the help, `--fleet NAME` to serve another fleet
 * from fixtures/fleets/ (e.g. `hostile`, whose etcd arguments carry terminal escape sequences).
 */
export const DEMO_OPTIONS = { ...SCAN_OPTIONS, fleet: { type: 'string' } } as const;
export type DemoValues = ScanValues & { fleet?: string };

const DEFAULT_FLEET = 'demo';

/**
 * Starts the built-in demo fleet (real SSH servers on loopback, one per fixture host), writes the
 * inventory, known_hosts and key a user would have, and scans it through the normal scan path.
 * The demo exits 0 when it ran: its findings are the point, not a failure.
 */
export async function runDemo(values: DemoValues, rules: Rule[], environment: Environment, io: Io): Promise<number> {
  const { fleet: fleetName = DEFAULT_FLEET, ...scanValues } = values;
  const { fleet, access, inventoryFile, stop } = await serveFleet(await loadFleet(await knownFleet(fleetName)));
  let settings: ScanSettings;
  let result: ScanResult;
  try {
    const ports = fleet.hosts.map((h) => h.port);
    if (!values.quiet) {
      io.stderr.write(
        `fleetbench demo: started ${fleet.hosts.length} SSH servers on 127.0.0.1 (ports ${Math.min(...ports)}-${Math.max(...ports)}), ` +
          `one per fixture host; scanning them over SSH with host keys checked against ${access.knownHostsFile}\n`,
      );
    }
    settings = scanSettings({ ...scanValues, 'known-hosts': [access.knownHostsFile], identity: [access.keyFile] }, environment);
    ({ result } = await runScan(await loadInventory(inventoryFile), rules, settings, { ...io, env: { ...io.env, SSH_AUTH_SOCK: undefined } }));
  } finally {
    await stop();
  }
  // The fleet is stopped before the report opens: browsing it can take a while.
  if (settings.interactive) await showInteractiveReport(result, io, settings.color);
  return EXIT.ok;
}

async function knownFleet(name: string): Promise<string> {
  const fleets = (await readdir(join(FIXTURES_DIR, 'fleets'))).filter((file) => file.endsWith('.yaml')).map((file) => file.slice(0, -'.yaml'.length));
  if (!fleets.includes(name)) throw new UsageError(`--fleet must be one of ${fleets.sort().join(', ')}, got ${JSON.stringify(name)}`);
  return name;
}
