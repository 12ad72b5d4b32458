import type { Align } from './fit.js';

// Column widths for a table that must work in 80 columns and use a wide terminal well: fixed
// columns keep their width, flexible ones share what is left by weight up to a useful maximum,
// and optional ones are dropped first when the terminal is narrow.

export interface ColumnSpec {
  header: string;
  align?: Align;
  /** A fixed width; otherwise the column is flexible. */
  width?: number;
  min?: number;
  /** Never wider than this (e.g. the longest value): the space is better used elsewhere. */
  max?: number;
  weight?: number;
  /** Dropped, rightmost first, when the fixed and minimum widths do not fit. */
  optional?: boolean;
}

export type Column<T extends ColumnSpec = ColumnSpec> = T & { width: number };

export const GAP = 1;

export function fitColumns<T extends ColumnSpec>(specs: readonly T[], total: number): Column<T>[] {
  let kept = [...specs];
  const needed = (cols: readonly ColumnSpec[]) => cols.reduce((sum, c) => sum + (c.width ?? c.min ?? 1), 0) + GAP * (cols.length - 1);
  while (needed(kept) > total) {
    const last = kept.map((c) => c.optional === true).lastIndexOf(true);
    if (last < 0) break;
    kept = kept.filter((_, i) => i !== last);
  }
  const widths = kept.map((c) => c.width ?? c.min ?? 1);
  let spare = total - needed(kept);
  while (spare > 0) {
    const growable = kept.map((_, i) => i).filter((i) => kept[i]!.width === undefined && widths[i]! < (kept[i]!.max ?? Infinity));
    if (growable.length === 0) break;
    const weights = growable.reduce((sum, i) => sum + (kept[i]!.weight ?? 1), 0);
    let given = 0;
    for (const i of growable) {
      const room = (kept[i]!.max ?? Infinity) - widths[i]!;
      const share = Math.min(room, Math.floor((spare * (kept[i]!.weight ?? 1)) / weights));
      widths[i]! += share;
      given += share;
    }
    if (given === 0) {
      widths[growable[0]!]! += 1;
      given = 1;
    }
    spare -= given;
  }
  return kept.map((c, i) => ({ ...c, width: widths[i]! }));
}
