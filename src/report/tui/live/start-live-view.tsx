import { render } from 'ink';
import type { ScanEvent } from '../../../scan/scan.js';
import type { Terminal } from '../terminal.js';
import { sizeOf } from '../terminal.js';
import type { LiveTarget } from './live-state.js';
import { addNote, applyScanEvent, initialLiveState } from './live-state.js';
import { LiveView } from './live-view.js';

export interface LiveProgress {
  update(event: ScanEvent): void;
  /** A message for the person watching; shown in the view instead of breaking it on stderr. */
  note(message: string): void;
  /** Draws the final state and leaves it on the screen as the scan's summary. */
  finish(): Promise<void>;
}

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
export function startLiveView(terminal: Pick<Terminal, 'stdout'>, options: LiveOptions): LiveProgress {
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
