import { render } from 'ink';
import type { ScanProgress } from '../../../scan/scan.js';
import type { Terminal } from '../terminal.js';
import { sizeOf } from '../terminal.js';
import type { LiveTarget } from './live-state.js';
import { addNote, applyScanEvent, initialLiveState } from './live-state.js';
import { LiveView } from './live-view.js';

export interface LiveOptions {
  targets: readonly LiveTarget[];
  benchmark: string;
  color: boolean;
}

/** Elapsed time and slow hosts change without events. */
const TICK_MS = 250;

/**
 * Draws the live view under whatever is on the terminal. It reads no keys: the terminal stays in
 * cooked mode, so Ctrl+C still interrupts the scan the usual way.
 */
export function startLiveView(terminal: Pick<Terminal, 'stdout'>, options: LiveOptions): ScanProgress {
  let state = initialLiveState(options.targets, Date.now());
  const view = () => <LiveView state={state} now={Date.now()} benchmark={options.benchmark} {...sizeOf(terminal.stdout)} color={options.color} />;
  const instance = render(view(), { stdout: terminal.stdout, patchConsole: false, exitOnCtrlC: false });
  const timer = setInterval(() => instance.rerender(view()), TICK_MS);
  return {
    update(event) {
      state = applyScanEvent(state, event);
      instance.rerender(view());
    },
    note(message) {
      state = addNote(state, message);
      instance.rerender(view());
    },
    async finish() {
      clearInterval(timer);
      instance.rerender(view());
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
