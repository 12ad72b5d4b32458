import type { FailOn } from '../status.js';
import type { ScanResult } from '../model.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { jsonChunks } from './json.js';
import { renderJunit } from './junit.js';
import { renderPrometheus } from './prometheus.js';
import { renderText } from './text.js';
import type { NextSteps } from './text.js';

// Every output format, each behind one writer. A scan's result is format-agnostic: the CLI picks a
// writer by --format or by an -o file's extension, and nothing else knows the formats.

export interface WriterOptions {
  /** ANSI colors, for a terminal. */
  color: boolean;
  /** Also list PASS and NOT_APPLICABLE findings (text). */
  all: boolean;
  /** --fail-on: which verdicts fail the run; under `warn` a WARN is a JUnit failure, not a skipped test. */
  failOn: FailOn;
  /** The text report is on stdout for a person: it ends with where to go next. */
  nextSteps?: NextSteps;
}

/** The report in one format, in pieces (JSON streams host by host; the others are one string). */
type Writer = (result: ScanResult, options: WriterOptions) => Iterable<string>;

const WRITERS = {
  text: (result, options) => [renderText(result, options)],
  json: (result) => jsonChunks(result),
  csv: (result) => [renderCsv(result)],
  html: (result) => [renderHtml(result)],
  junit: (result, options) => [renderJunit(result, options)],
  prom: (result) => [renderPrometheus(result)],
} satisfies Record<string, Writer>;

export type Format = keyof typeof WRITERS;
export const FORMATS = Object.keys(WRITERS) as Format[];

/**
 * The format an -o file is written in, by its extension. node_exporter's textfile collector reads
 * only `*.prom`: the temporary file an -o file is written to first must not end in `.prom`.
 */
export const EXTENSIONS: Readonly<Record<string, Format>> = {
  '.json': 'json',
  '.txt': 'text',
  '.csv': 'csv',
  '.html': 'html',
  '.htm': 'html',
  '.xml': 'junit',
  '.prom': 'prom',
};

export function renderReport(result: ScanResult, format: Format, options: WriterOptions): Iterable<string> {
  return WRITERS[format](result, options);
}

/** What the text report of a scan on stdout points to next: the JSON result and HTML report it wrote, if any. */
export function scanNextSteps(outputs: readonly { path: string; format: Format }[]): NextSteps {
  const written = (format: Format) => outputs.find((output) => output.format === format)?.path;
  const json = written('json');
  return { command: 'scan', ...(json === undefined ? {} : { resultFiles: [json] }), htmlFile: written('html') };
}
