import { render } from 'ink';
import type { ScanResult } from '../../../model.js';
import type { Terminal } from '../terminal.js';
import { buildReportData } from './report-data.js';
import { ReportApp } from './report-app.js';

// The alternate screen, as less and htop use it: the report takes the whole terminal, and
// quitting gives back the screen as it was, with the live view's summary still on it.
const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';

export interface ReportOptions {
  color: boolean;
  /** Closes the report (e.g. on SIGTERM), so the terminal is restored before the process ends. */
  signal?: AbortSignal;
}

/** Shows the interactive report until the user quits. */
export async function openReport(result: ScanResult, terminal: Terminal, options: ReportOptions): Promise<void> {
  const data = buildReportData(result);
  terminal.stdout.write(ENTER_ALTERNATE_SCREEN);
  try {
    const instance = render(<ReportApp data={data} color={options.color} />, {
      stdin: terminal.stdin,
      stdout: terminal.stdout,
      patchConsole: false,
      exitOnCtrlC: true,
    });
    const close = () => instance.unmount();
    options.signal?.addEventListener('abort', close, { once: true });
    if (options.signal?.aborted) close();
    try {
      await instance.waitUntilExit();
    } finally {
      options.signal?.removeEventListener('abort', close);
    }
  } finally {
    terminal.stdout.write(LEAVE_ALTERNATE_SCREEN);
  }
}
