import { compareWithBaseline } from '../result/baseline.js';
import { mergeResults } from '../result/merge.js';
import { readResultFile } from '../result/result-file.js';
import { safeLine } from '../report/terminal-text.js';
import { FORMATS } from '../report/formats.js';
import { REPORT } from './commands.js';
import { printHelp } from './help.js';
import { showInteractiveReport } from './interactive-report.js';
import { parseCommand } from './option-table.js';
import type { Environment } from './options.js';
import { failOnOf, oneOf, outputFiles, wantsColor, wantsInteractive } from './options.js';
import { checkOutputs } from './outputs.js';
import type { Io } from './scan-command.js';
import { deliver } from './scan-command.js';

/**
 * `fleetbench report RESULT.json...`: the report of saved results, merged into one when there are
 * several (see src/result/merge.ts); in a terminal the interactive report, otherwise the report
 * in any format (text by default) and the -o files. Exits with the code the scan would have for
 * the result, so that a CI job can gate on a merged report as on a scan.
 */
export async function runReport(args: readonly string[], environment: Environment, io: Io): Promise<number> {
  const { values, positionals } = parseCommand(REPORT, args);
  if (values.help) return printHelp(REPORT, io);
  const format = values.format === undefined ? undefined : oneOf('--format', values.format, FORMATS);
  const failOn = failOnOf(values);
  const outputs = outputFiles(values.output ?? []);
  checkOutputs(outputs);
  const log = (message: string) => values.quiet || io.stderr.write(`fleetbench: ${message}\n`);
  const parts = [];
  for (const file of positionals) parts.push({ file, result: await readResultFile(file) });
  const merged = mergeResults(parts);
  for (const note of merged.notes) log(safeLine(note));
  let result = merged.result;
  if (values.baseline !== undefined) result = compareWithBaseline(result, await readResultFile(values.baseline), values.baseline);
  const color = wantsColor(values, environment);
  const interactive = wantsInteractive(values, environment);
  // As for scan: with -o only and no person watching, stdout stays quiet.
  const stdoutFormat = format ?? (interactive || (outputs.length > 0 && !environment.stdoutIsTTY) ? undefined : 'text');
  const nextSteps = { command: 'report' as const, resultFiles: positionals };
  const code = deliver(result, { outputs, color, all: values.all ?? false, failOn, ...(stdoutFormat ? { stdoutFormat } : {}) }, io, log, nextSteps);
  if (interactive) await showInteractiveReport(result, io, color);
  return code;
}
