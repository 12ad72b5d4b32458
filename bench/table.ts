// Plain-text tables for benchmark reports: a header row, a rule, right-aligned numbers.
import { columns } from '../src/report/columns.js';

export interface Column {
  header: string;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
}

export function formatTable(table: Column[], rows: string[][]): string {
  const rightAligned = table.flatMap((column, i) => (column.align === 'right' ? [i] : []));
  return columns(
    table.map((column) => column.header),
    rows,
    { rightAligned, underline: true },
  ).join('\n');
}
