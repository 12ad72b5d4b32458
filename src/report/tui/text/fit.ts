import { safeLine } from '../../terminal-text.js';

// Every string the interactive views show goes through `fit` or `wrapText`: that is where host
// text (and every string of a saved result file) is escaped, before it is measured, so that
// columns line up. `Line` escapes once more where text reaches the screen, as the guard.
//
// Widths count code points. Host names and settings are ASCII in practice; a wide character
// only makes a line longer than counted, and the line components truncate at the terminal edge.

export type Align = 'left' | 'right';

export function textWidth(text: string): number {
  return Array.from(text).length;
}

/** One cell: escaped, cut with an ellipsis when too long, padded to exactly `width`. */
export function fit(text: string, width: number, align: Align = 'left'): string {
  if (width <= 0) return '';
  const chars = Array.from(safeLine(text));
  const cut = chars.length > width ? [...chars.slice(0, Math.max(0, width - 1)), '…'].join('') : chars.join('');
  const pad = ' '.repeat(width - textWidth(cut));
  return align === 'right' ? pad + cut : cut + pad;
}

/** Escaped and cut to at most `width`, without padding: for the last cell of a line. */
export function clip(text: string, width: number): string {
  return fit(text, width).trimEnd();
}
