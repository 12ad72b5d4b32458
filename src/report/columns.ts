export interface ColumnLayout {
  /** Indexes of the columns to right-align: numbers read best that way. */
  rightAligned?: readonly number[];
  /** A rule of dashes under the header, for the benchmark reports. */
  underline?: boolean;
  /** Wraps a padded body cell, e.g. in color; widths are measured on the plain text first. */
  decorate?: (padded: string, row: number, column: number) => string;
}

/**
 * Plain-text columns two spaces apart, each as wide as its widest cell, with trailing blanks
 * trimmed so a long last column costs no padding: every table fleetbench prints (the text
 * report, `fleetbench rules`, `fleetbench inventory`, the benchmark reports).
 */
export function columns(header: readonly string[], rows: readonly string[][], layout: ColumnLayout = {}): string[] {
  const { rightAligned = [], underline = false, decorate } = layout;
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const pad = (cell: string, i: number) => (rightAligned.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!));
  const line = (cells: readonly string[], row?: number) =>
    header
      .map((_, i) => {
        const padded = pad(cells[i] ?? '', i);
        return decorate && row !== undefined ? decorate(padded, row, i) : padded;
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...(underline ? [widths.map((w) => '-'.repeat(w)).join('  ')] : []), ...rows.map((cells, row) => line(cells, row))];
}
