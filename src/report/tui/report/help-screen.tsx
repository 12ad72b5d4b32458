import { Box } from 'ink';
import type { CoverageNote } from '../../coverage.js';
import type { Segment } from '../line.js';
import { Line } from '../line.js';
import { fit } from '../text/fit.js';
import { wrapText } from '../text/wrap.js';

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

const INDENT = '  ';

interface HelpScreenProps {
  /** What the report does not cover: in full here, above the keys, since the header has one line for it. */
  notes: readonly CoverageNote[];
  width: number;
  height: number;
  color: boolean;
}

/**
 * What the report does not cover, then the keys, filling the screen so the report underneath does
 * not show through. The notes come first but leave the keys room: what they cannot show in a small
 * terminal, the text and HTML reports do.
 */
export function HelpScreen({ notes, width, height, color }: HelpScreenProps) {
  const room = Math.max(1, height - 1);
  const keyWidth = Math.max(...KEYS.map(([keys]) => keys.length)) + 2;
  const keyLines: Segment[][] = [
    [{ text: fit('fleetbench interactive report: keys', width), tone: 'heading' }],
    [],
    ...KEYS.map(([keys, what]): Segment[] => [{ text: fit(keys, keyWidth), tone: 'accent' }, { text: fit(what, width - keyWidth) }]),
  ];
  const about: Segment[][] = [[], ...ABOUT.map((text): Segment[] => [{ text: fit(text, width), tone: 'dim' }])];
  const notesShown = noteLines(notes, width, room - keyLines.length - 1);
  const lines = [...notesShown, ...(notesShown.length > 0 ? [[]] : []), ...keyLines, ...about];
  const shown = lines.slice(0, room);
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

/** Each note's heading and details, wrapped; cut to `room` lines (at least one) with a line saying so. */
function noteLines(notes: readonly CoverageNote[], width: number, room: number): Segment[][] {
  const lines = notes.flatMap((note): Segment[][] => [
    ...wrapText(`${note.title} (${note.meaning})`, width).map((text): Segment[] => [{ text, tone: 'WARN' }]),
    ...note.details.flatMap((detail) => wrapText(detail, width - INDENT.length).map((text): Segment[] => [{ text: INDENT + text }])),
  ]);
  const fits = Math.max(1, room);
  if (lines.length <= fits) return lines;
  const kept = lines.slice(0, fits - 1);
  return [...kept, [{ text: fit(`… ${lines.length - kept.length} more lines: the text and HTML reports have them all`, width), tone: 'dim' }]];
}
