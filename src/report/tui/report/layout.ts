import type { ReportData } from './report-data.js';
import type { Screen } from './screens.js';

// How the report divides the terminal. Ink appends a newline after the last line, so the report
// uses one line less than the terminal has: a frame as tall as the terminal would scroll it, and
// Ink then redraws by clearing the whole screen on every key.

/** The top bar and the tabs with the breadcrumb. */
const TOP = 2;
/** The status line (filter, search, position) and the key hints. */
const BOTTOM = 2;
/** Selection marker in front of every list row. */
export const MARKER_WIDTH = 2;

/** The line under the top bar saying what the report does not cover, when it leaves something out. */
export function hasScopeLine(data: ReportData): boolean {
  return data.notes.length > 0;
}

export function hasSubtitle(screen: Screen): boolean {
  return screen.kind === 'host' || screen.kind === 'control';
}

export function isList(screen: Screen): boolean {
  return screen.kind !== 'finding';
}

/** Rows of content (list rows or document lines) that fit under the chrome of this screen. */
export function pageSize(screen: Screen, height: number, data: ReportData): number {
  const chrome = TOP + (hasScopeLine(data) ? 1 : 0) + BOTTOM + (hasSubtitle(screen) ? 1 : 0) + (isList(screen) ? 1 : 0);
  return Math.max(1, height - 1 - chrome);
}
