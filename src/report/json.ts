import type { ScanResult } from '../model.js';

/** The machine-readable result. JSON.stringify escapes every control character a host may send. */
export function renderJson(result: ScanResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
