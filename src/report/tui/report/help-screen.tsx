import { Box } from 'ink';
import { Line } from '../line.js';
import { fit } from '../text/fit.js';

const KEYS: [string, string][] = [
  ['↑ ↓  k j', 'move the selection (scroll on a finding)'],
  ['PgUp PgDn  space', 'a page up or down'],
  ['g G  Home End', 'first or last'],
  ['Enter  → l', 'open: a host, a control, a finding'],
  ['Esc  Backspace  ← h', 'back (first clears a search)'],
  ['Tab', 'switch between hosts and controls'],
  ['f  F', 'filter by status: FAIL, ERROR, WARN, PASS, N/A, all'],
  ['/', 'search host names (or controls); Enter keeps, Esc clears'],
  ['?', 'this help; any key closes it'],
  ['q  Ctrl+C', 'quit'],
];

const ABOUT = [
  'Hosts: every host by cluster, worst first, with its counts and whether it was reached.',
  'Controls: every control, worst first, with the hosts that fail it: the remediation plan.',
  'A finding shows what the control expects, what was found, and where each value came from.',
];

/** The keys, filling the screen so the report underneath does not show through. */
export function HelpScreen({ width, height, color }: { width: number; height: number; color: boolean }) {
  const keyWidth = Math.max(...KEYS.map(([keys]) => keys.length)) + 2;
  const lines = [
    [{ text: fit('fleetbench interactive report: keys', width), tone: 'heading' as const }],
    [],
    ...KEYS.map(([keys, what]) => [{ text: fit(keys, keyWidth), tone: 'accent' as const }, { text: fit(what, width - keyWidth) }]),
    [],
    ...ABOUT.map((text) => [{ text: fit(text, width), tone: 'dim' as const }]),
  ];
  const shown = lines.slice(0, Math.max(1, height - 1));
  return (
    <Box flexDirection="column">
      {shown.map((segments, i) => (
        <Line key={i} segments={segments} color={color} />
      ))}
      {Array.from({ length: Math.max(0, height - 1 - shown.length) }, (_, i) => (
        <Line key={`blank-${i}`} segments={[]} color={color} />
      ))}
    </Box>
  );
}
