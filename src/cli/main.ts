#!/usr/bin/env node
import { loadInventory } from '../inventory/load.js';
import { DEFAULT_BENCHMARK, parseBenchmark } from '../rules/benchmarks.js';
import { loadRules } from '../rules/rule-file.js';
import { FileIssuesError } from '../yaml/file-issues.js';
import { VERSION } from '../version.js';
import { DEMO_OPTIONS, runDemo } from './demo-command.js';
import type { DemoValues } from './demo-command.js';
import { EXIT } from './exit-codes.js';
import { defaultHome, INVENTORY_READ_OPTIONS, parseCommandLine, SCAN_OPTIONS, scanSettings, UsageError } from './options.js';
import type { Environment } from './options.js';
import { showInteractiveReport } from './interactive-report.js';
import { runReport } from './report-command.js';
import { ResultFileError } from '../result/result-file.js';
import { controlPlaneOnly, inventoryOptions, renderInventory } from './inventory-command.js';
import { renderRuleList } from './rules-command.js';
import { runScan } from './scan-command.js';
import type { Io } from './scan-command.js';
import { HELP } from './help.js';
import { safeBlock } from '../report/terminal-text.js';

async function main(argv: string[]): Promise<number> {
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
    process.stdout.write(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    process.stdout.write(`fleetbench ${VERSION}\n`);
    return EXIT.ok;
  }

  switch (command) {
    case 'scan': {
      const values = parse(rest);
      if (values.help) return help();
      if (!values.inventory) throw new UsageError('scan needs an inventory: fleetbench scan -i inventory.yaml');
      const settings = scanSettings(values, environment);
      const [loaded, rules] = await Promise.all([loadInventory(values.inventory, await inventoryOptions(values, environment)), loadRules()]);
      const inventory = controlPlaneOnly(loaded, (message) => settings.quiet || io.stderr.write(`fleetbench: ${message}\n`));
      const { code, result } = await runScan(inventory, rules, settings, io);
      if (settings.interactive) await showInteractiveReport(result, io, settings.color);
      return code;
    }
    case 'demo': {
      const values = parse(rest, DEMO_OPTIONS);
      if (values.help) return help();
      if (values.inventory) throw new UsageError('demo scans its own built-in fleet and takes no inventory');
      return runDemo(values, await loadRules(), environment, io);
    }
    case 'report':
      return runReport(rest, environment, io, help);
    case 'inventory': {
      const { values } = parseCommandLine({
        args: rest,
        options: { ...INVENTORY_READ_OPTIONS, format: { type: 'string', short: 'f' } },
        strict: true,
      });
      if (!values.inventory) throw new UsageError('inventory needs a file: fleetbench inventory -i inventory.yaml');
      const inventory = await loadInventory(values.inventory, await inventoryOptions(values, environment));
      process.stdout.write(values.format === 'json' ? `${JSON.stringify(inventory, null, 2)}\n` : renderInventory(inventory));
      return EXIT.ok;
    }
    case 'rules': {
      const { values } = parseCommandLine({ args: rest, options: { benchmark: { type: 'string', short: 'b' } }, strict: true });
      const benchmark = values.benchmark === undefined ? DEFAULT_BENCHMARK : parseBenchmark(values.benchmark);
      if (!benchmark) throw new UsageError(`unknown benchmark ${JSON.stringify(values.benchmark)}`);
      process.stdout.write(renderRuleList(await loadRules(), benchmark));
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

function parse(args: string[], options: typeof SCAN_OPTIONS | typeof DEMO_OPTIONS = SCAN_OPTIONS): DemoValues {
  return parseCommandLine({ args, options, strict: true, allowPositionals: false }).values as DemoValues;
}

function help(): number {
  process.stdout.write(HELP);
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Every message may quote a file or an argument: its control characters are shown, never obeyed.
    const say = (text: string) => process.stderr.write(`fleetbench: ${safeBlock(text)}\n`);
    if (error instanceof UsageError) {
      say(`${error.message}\nRun fleetbench --help for usage.`);
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
