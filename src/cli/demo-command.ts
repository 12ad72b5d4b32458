import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../demo/fixtures.js';
import { loadFleet, serveFleet } from '../demo/fleet-file.js';
import { loadInventory } from '../inventory/load.js';
import type { ScanResult } from '../model.js';
import type { Rule } from '../rules/rule-file.js';
import type { DemoValues } from './commands.js';
import { EXIT } from './exit-codes.js';
import { showInteractiveReport } from './interactive-report.js';
import { UsageError } from './option-table.js';
import type { Environment, ScanSettings } from './options.js';
import { outputFiles, scanSettings } from './options.js';
import { checkOutputs } from './outputs.js';
import type { Io } from './scan-command.js';
import { runScan } from './scan-command.js';
import { scopeOf } from './scope.js';

const DEFAULT_FLEET = 'demo';

/**
 * Starts the built-in demo fleet (real SSH servers on loopback, one per fixture host), writes the
 * inventory, known_hosts and key a user would have, and scans it through the normal scan path.
 * The demo exits 0 when it ran: its findings are the point, not a failure; but an output it
 * could not write is (EXIT.cannotWrite).
 */
export async function runDemo(values: DemoValues, rules: Rule[], environment: Environment, io: Io): Promise<number> {
  const { fleet: fleetName = DEFAULT_FLEET, ...scanValues } = values;
  const name = await knownFleet(fleetName);
  checkOutputs(outputFiles(values.output ?? []));
  const { fleet, access, inventoryFile, stop } = await serveFleet(await loadFleet(name));
  let settings: ScanSettings;
  let result: ScanResult;
  let code: number;
  try {
    const ports = fleet.hosts.map((h) => h.port);
    if (!values.quiet) {
      io.stderr.write(
        `fleetbench demo: started ${fleet.hosts.length} SSH servers on 127.0.0.1 (ports ${Math.min(...ports)}-${Math.max(...ports)}), ` +
          `one per fixture host; scanning them over SSH with host keys checked against ${access.knownHostsFile}\n`,
      );
    }
    settings = scanSettings({ ...scanValues, 'known-hosts': [access.knownHostsFile], 'private-key': [access.keyFile] }, environment);
    const scope = await scopeOf(await loadInventory(inventoryFile), rules, settings);
    ({ code, result } = await runScan(scope, settings, { ...io, env: { ...io.env, SSH_AUTH_SOCK: undefined } }));
  } finally {
    await stop();
  }
  // The fleet is stopped before the report opens: browsing it can take a while.
  if (settings.interactive) await showInteractiveReport(result, io, settings.color);
  return code === EXIT.cannotWrite ? code : EXIT.ok;
}

async function knownFleet(name: string): Promise<string> {
  const fleets = (await readdir(join(FIXTURES_DIR, 'fleets'))).filter((file) => file.endsWith('.yaml')).map((file) => file.slice(0, -'.yaml'.length));
  if (!fleets.includes(name)) throw new UsageError(`--fleet must be one of ${fleets.sort().join(', ')}, got ${JSON.stringify(name)}`);
  return name;
}
