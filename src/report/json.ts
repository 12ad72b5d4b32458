import type { ScanResult } from '../model.js';

/**
 * The machine-readable result, exactly JSON.stringify(result, null, 2), in pieces: hosts and
 * findings one at a time, so that a 10,000-host result is written without ever being one string.
 * JSON.stringify escapes every control character a host may send.
 */
export function* jsonChunks(result: ScanResult): Generator<string> {
  const entries = Object.entries(result).filter(([, value]) => value !== undefined);
  yield '{\n';
  for (const [i, [key, value]] of entries.entries()) {
    const comma = i < entries.length - 1 ? ',' : '';
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (const [j, item] of value.entries()) yield `    ${indent(JSON.stringify(item, null, 2), '    ')}${j < value.length - 1 ? ',' : ''}\n`;
      yield `  ]${comma}\n`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), '  ')}${comma}\n`;
    }
  }
  yield '}\n';
}

export function renderJson(result: ScanResult): string {
  return [...jsonChunks(result)].join('');
}

function indent(json: string, by: string): string {
  return json.replaceAll('\n', `\n${by}`);
}
