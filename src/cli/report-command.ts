import { EXIT } from './exit-codes.js';
import { showInteractiveReport } from './interactive-report.js';
import type { Environment } from './options.js';
import { FORMATS } from '../report/formats.js';
import { oneOf, parseCommandLine, UsageError, wantsColor, wantsInteractive } from './options.js';
import { readResultFile } from '../result/result-file.js';
import { renderReport } from '../report/formats.js';
import type { Io } from './scan-command.js';

const REPORT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  all: { type: 'boolean', short: 'a' },
  'no-color': { type: 'boolean' },
  'no-interactive': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `fleetbench report FILE.json`: the interactive report on a saved result, or the report in any
 * format (text by default) when no person is at a terminal or a format is asked for. Exits 0 once shown: the verdict was the scan's exit code.
 */
export async function runReport(args: string[], environment: Environment, io: Io, help: () => number): Promise<number> {
  const { values, positionals } = parseCommandLine({ args, options: REPORT_OPTIONS, strict: true, allowPositionals: true });
  if (values.help) return help();
  if (positionals.length !== 1) throw new UsageError('report needs one results file: fleetbench report results.json');
  const format = values.format === undefined ? undefined : oneOf('--format', values.format, FORMATS);
  const result = await readResultFile(positionals[0]!);
  const color = wantsColor(values, environment);
  if (wantsInteractive(values, environment)) {
    await showInteractiveReport(result, io, color);
    return EXIT.ok;
  }
  const nextSteps = { command: 'report' as const, resultFile: positionals[0]! };
  for (const piece of renderReport(result, format ?? 'text', { color, all: values.all ?? false, failOn: 'fail', nextSteps })) io.stdout.write(piece);
  return EXIT.ok;
}
