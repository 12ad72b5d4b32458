import { useApp, useInput } from 'ink';
import { useRef, useState } from 'react';
import type { Size } from '../terminal.js';
import { commandFor, keystrokes } from './keymap.js';
import type { ReportData } from './report-data.js';
import { ReportView } from './report-view.js';
import { useTerminalSize } from './use-terminal-size.js';
import type { ViewState } from './view-state.js';
import { initialViewState, reduceView } from './view-state.js';

export interface ReportAppProps {
  data: ReportData;
  color: boolean;
  /** A fixed size instead of the terminal's (tests). */
  size?: Size;
}

/** The interactive report: keys in, the reducer, the view out. `q` ends the Ink app. */
export function ReportApp({ data, color, size }: ReportAppProps) {
  const terminalSize = useTerminalSize();
  const { width, height } = size ?? terminalSize;
  const [state, setState] = useState<ViewState>(initialViewState);
  // Keys typed faster than a render (a paste, tmux send-keys) must each see the state the one
  // before left, so the latest state lives in a ref as well as in React.
  const latest = useRef(state);
  const { exit } = useApp();
  useInput((input, key) => {
    for (const [char, flags] of keystrokes(input, key)) {
      const command = commandFor(char, flags, latest.current);
      if (command === undefined) continue;
      if (command.type === 'quit') {
        exit();
        return;
      }
      latest.current = reduceView(latest.current, command, { data, width, height });
    }
    setState(latest.current);
  });
  return <ReportView state={state} data={data} width={width} height={height} color={color} />;
}
