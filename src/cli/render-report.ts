import type { ScanResult } from '../model.js';
import { renderCsv } from '../report/csv.js';
import { renderHtml } from '../report/html.js';
import { jsonChunks } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderText } from '../report/text.js';
import type { Format } from './options.js';

/** The report in one format, in pieces (JSON streams host by host; the others are one string). */
export function renderReport(result: ScanResult, format: Format, settings: { color: boolean; all: boolean }): Iterable<string> {
  switch (format) {
    case 'json':
      return jsonChunks(result);
    case 'csv':
      return [renderCsv(result)];
    case 'html':
      return [renderHtml(result)];
    case 'junit':
      return [renderJunit(result)];
    case 'text':
      return [renderText(result, { color: settings.color, all: settings.all })];
  }
}
