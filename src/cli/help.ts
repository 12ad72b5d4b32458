import { COMMANDS } from './commands.js';
import { EXIT } from './exit-codes.js';
import type { CommandSpec } from './option-table.js';
import { commandHelp } from './option-table.js';

/** `fleetbench COMMAND --help`: that command's options, from its table. */
export function printHelp(command: CommandSpec, io: { stdout: NodeJS.WritableStream }): number {
  io.stdout.write(commandHelp(command));
  return EXIT.ok;
}

/** `fleetbench --help`: the commands, each with what it does, and the exit codes. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.usage.length)) + 4;
  return [
    'fleetbench: audit the etcd security of Kubernetes control planes across a fleet, over SSH',
    '',
    'Usage:',
    ...COMMANDS.map((command) => `  fleetbench ${command.usage.padEnd(width)}${command.brief}`),
    '  fleetbench --version',
    '',
    'Run fleetbench COMMAND --help for the options of a command.',
    '',
    'Exit codes:',
    '  0  every evaluated control passed        1  at least one FAIL (see --fail-on)',
    '  2  no FAIL, but some host or control could not be evaluated (ERROR)',
    '  64 bad usage                             65 invalid inventory, rule, waiver or results file',
    '  73 an output file (-o) could not be written (the others were)',
    '',
  ].join('\n');
}
