import type { ScanResult } from '../model.js';
import { replaceUnsafe, unicodeEscape } from './terminal-text.js';

/**
 * The machine-readable result: JSON.stringify(result, null, 2) with the escapes of `safeJson`, in
 * pieces: hosts and findings one at a time, so that a 10,000-host result is written without ever
 * being one string.
 */
export function* jsonChunks(result: ScanResult): Generator<string> {
  const entries = Object.entries(result).filter(([, value]) => value !== undefined);
  yield '{\n';
  for (const [i, [key, value]] of entries.entries()) {
    const comma = i < entries.length - 1 ? ',' : '';
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${safeJson(key)}: [\n`;
      for (const [j, item] of value.entries()) yield `    ${indent(safeJson(item, 2), '    ')}${j < value.length - 1 ? ',' : ''}\n`;
      yield `  ]${comma}\n`;
    } else {
      yield `  ${safeJson(key)}: ${indent(safeJson(value, 2), '  ')}${comma}\n`;
    }
  }
  yield '}\n';
}

export function renderJson(result: ScanResult): string {
  return [...jsonChunks(result)].join('');
}

// U+2028 and U+2029 end a string in JavaScript before ES2019: escaped for tools that still read
// JSON as JavaScript.
const LINE_SEPARATORS = /[\u2028\u2029]/g;

/**
 * JSON.stringify, with what it leaves raw and a terminal or a viewer acts on (DEL, C1 controls
 * such as the one-byte CSI U+009B, bidi overrides) and the line separators written as \uXXXX
 * too: the document is safe to `cat` and parses back to exactly the same strings. Those
 * characters only ever appear inside JSON strings, where \uXXXX means the character itself. C0
 * controls are left alone: JSON.stringify escapes them in strings, so the raw ones are its own
 * line breaks.
 */
export function safeJson(value: unknown, space?: number): string {
  const json = replaceUnsafe(JSON.stringify(value, null, space), (char) => (char < ' ' ? char : unicodeEscape(char)));
  return json.replace(LINE_SEPARATORS, unicodeEscape);
}

function indent(json: string, by: string): string {
  return json.replaceAll('\n', `\n${by}`);
}
