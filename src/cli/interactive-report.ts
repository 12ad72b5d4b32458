import type { ScanResult } from '../model.js';
import { loadTui } from './load-tui.js';
import type { Io } from './scan-command.js';

// Signals that end a session from outside (the terminal closes, a process manager stops us):
// the report closes first, so the user's terminal comes back out of raw mode and the
// alternate screen. Ctrl+C arrives as a key while the report has the terminal.
const CLOSING_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];

/** Opens the interactive report on the terminal and returns when the user quits. */
export async function showInteractiveReport(result: ScanResult, io: Io, color: boolean): Promise<void> {
  const { openReport } = await loadTui();
  const closing = new AbortController();
  const close = () => closing.abort();
  for (const signal of CLOSING_SIGNALS) process.on(signal, close);
  try {
    await openReport(result, { stdin: io.stdin, stdout: io.stdout }, { color, signal: closing.signal });
  } finally {
    for (const signal of CLOSING_SIGNALS) process.off(signal, close);
  }
}
