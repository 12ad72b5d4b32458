#!/usr/bin/env node
import { loadInventories } from '../inventory/load.js';
import { loadRules } from '../rules/rule-file.js';
import { FileIssuesError } from '../yaml/file-issues.js';
import { VERSION } from '../version.js';
import { COMMANDS, DEMO, SCAN } from './commands.js';
import { runDemo } from './demo-command.js';
import { EXIT } from './exit-codes.js';
import { mainHelp, printHelp } from './help.js';
import { showInteractiveReport } from './interactive-report.js';
import { inventoryOptions, runInventory } from './inventory-command.js';
import { parseCommand, UsageError } from './option-table.js';
import { defaultHome, scanSettings } from './options.js';
import type { Environment } from './options.js';
import { checkOutputs } from './outputs.js';
import { runReport } from './report-command.js';
import { ResultFileError } from '../result/result-file.js';
import { runRules } from './rules-command.js';
import { runScan } from './scan-command.js';
import type { Io } from './scan-command.js';
import { scopeOf } from './scope.js';
import { nearest } from '../nearest.js';
import { safeBlock } from '../report/terminal-text.js';
import { limitHeapGrowth } from '../scan/heap.js';

async function main(argv: string[]): Promise<number> {
  // Before anything large is loaded (a 10,000-host inventory, result files to merge).
  limitHeapGrowth();
  const [command, ...rest] = argv;
  // isTTY is undefined, not false, when a stream is not a terminal, whatever @types/node says.
  /* eslint-disable @typescript-eslint/no-unnecessary-type-conversion */
  const io: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, stderrIsTTY: Boolean(process.stderr.isTTY), env: process.env };
  const environment: Environment = {
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    home: defaultHome(process.env),
  };
  /* eslint-enable @typescript-eslint/no-unnecessary-type-conversion */

  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(mainHelp());
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    process.stdout.write(`fleetbench ${VERSION}\n`);
    return EXIT.ok;
  }

  switch (command) {
    case 'scan': {
      const { values } = parseCommand(SCAN, rest);
      if (values.help) return printHelp(SCAN, io);
      if (!values.inventory) throw new UsageError('scan needs an inventory: fleetbench scan -i inventory.yaml');
      const settings = scanSettings(values, environment);
      // Before anything slow: a report that cannot be written is found out now, not after the scan.
      checkOutputs(settings.outputs);
      const [loaded, rules] = await Promise.all([loadInventories(values.inventory, await inventoryOptions(values, environment)), loadRules()]);
      const { code, result } = await runScan(await scopeOf(loaded, rules, settings), settings, io);
      if (settings.interactive) await showInteractiveReport(result, io, settings.color);
      return code;
    }
    case 'demo': {
      const { values } = parseCommand(DEMO, rest);
      if (values.help) return printHelp(DEMO, io);
      return runDemo(values, await loadRules(), environment, io);
    }
    case 'report':
      return runReport(rest, environment, io);
    case 'inventory':
      return runInventory(rest, environment, io);
    case 'rules':
      return runRules(rest, io);
    default: {
      const guess = nearest(
        command,
        COMMANDS.map((known) => known.name),
      );
      throw new UsageError(`unknown command ${JSON.stringify(command)}${guess === undefined ? '' : `; did you mean ${guess}?`}`);
    }
  }
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Every message may quote a file or an argument: its control characters are shown, never obeyed.
    const say = (text: string) => process.stderr.write(`fleetbench: ${safeBlock(text)}\n`);
    if (error instanceof UsageError) {
      const command = COMMANDS.find((known) => known.name === argv[0]);
      say(`${error.message}\n${command === undefined ? 'Run fleetbench --help for usage.' : `Run fleetbench ${command.name} --help for its options.`}`);
      process.exitCode = EXIT.usage;
    } else if (error instanceof FileIssuesError) {
      say(`${error.what}:\n${error.message}`);
      process.exitCode = EXIT.badInput;
    } else if (error instanceof ResultFileError) {
      say(error.message);
      process.exitCode = EXIT.badInput;
    } else {
      say(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = EXIT.internal;
    }
  },
);
