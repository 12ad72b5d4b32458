import { Box } from 'ink';
import { Line } from '../line.js';
import { fit } from '../text/fit.js';
import type { Row } from './screens.js';
import type { Table } from './tables.js';
import { rowSegments } from './tables.js';

interface ListBodyProps {
  table: Table;
  rows: Row[];
  selected: number;
  top: number;
  page: number;
  width: number;
  color: boolean;
  empty: string;
}

/** The column header and one page of rows, padded so the footer stays at the bottom. */
export function ListBody({ table, rows, selected, top, page, width, color, empty }: ListBodyProps) {
  const visible = rows.slice(top, top + page);
  const blank = Math.max(0, page - Math.max(visible.length, 1));
  return (
    <Box flexDirection="column">
      <Line segments={table.header} color={color} />
      {visible.length === 0 ? <Line segments={[{ text: fit(empty, width), tone: 'dim' }]} color={color} /> : null}
      {visible.map((row, i) => (
        <Line key={row.key} segments={rowSegments(row, table, top + i === selected, width)} color={color} selected={top + i === selected} />
      ))}
      {Array.from({ length: blank }, (_, i) => (
        <Line key={`blank-${i}`} segments={[]} color={color} />
      ))}
    </Box>
  );
}
