import { STATUS_LABEL } from '../../../status.js';
import { Box } from 'ink';
import type { Segment } from '../line.js';
import { Line } from '../line.js';
import { clip, fit, textWidth } from '../text/fit.js';
import type { Frame, ViewState } from './view-state.js';

// The two lines under every screen: filter, search and position, then the keys that work here.

interface FooterProps {
  state: ViewState;
  frame: Frame;
  /** e.g. `3/8 hosts` or `lines 1-19 of 30`. */
  position: string;
  width: number;
  color: boolean;
}

export function Footer({ state, frame, position, width, color }: FooterProps) {
  return (
    <Box flexDirection="column">
      <Line segments={statusLine(state, frame, position, width)} color={color} />
      <Line segments={[{ text: fit(keyHints(state, frame), width), tone: 'dim' }]} color={color} />
    </Box>
  );
}

function statusLine(state: ViewState, frame: Frame, position: string, width: number): Segment[] {
  const filter = state.filter === undefined ? 'filter: all' : `filter: ${STATUS_LABEL[state.filter]}`;
  const search = state.searching ? `  search: ${frame.query}▏` : frame.query === '' ? '' : `  search: ${frame.query}`;
  const filterText = clip(filter, width);
  const searchText = clip(search, width - textWidth(filterText) - textWidth(position) - 1);
  return [
    state.filter === undefined ? { text: filterText } : { text: filterText, tone: state.filter },
    { text: searchText, tone: 'accent' },
    { text: fit(position, width - textWidth(filterText) - textWidth(searchText), 'right'), tone: 'dim' },
  ];
}

function keyHints(state: ViewState, frame: Frame): string {
  if (state.searching) return 'type to search  enter keep  esc clear';
  if (frame.screen.kind === 'finding') return '↑↓ j/k scroll  space page  esc back  tab view  ? help  q quit';
  return '↑↓ j/k move  enter open  esc back  tab view  f filter  / search  ? help  q quit';
}
