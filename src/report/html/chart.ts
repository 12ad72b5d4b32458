import { STATUS_LABEL, STATUSES, worst } from '../../status.js';
import type { Status } from '../../model.js';
import type { StatusCounts } from '../summary.js';
import { html } from './markup.js';
import type { Html } from './markup.js';
import type { Control } from './verdicts.js';

// One cluster's compliance as an inline SVG bar chart: a row per control, the bar split by the
// hosts' verdicts (passing first, from the left), the share of hosts passing at the right. Inline
// SVG fetches nothing, and it is colored by classes of the report's stylesheet: the
// Content-Security-Policy allows no style attribute. Every row has a <title> (a tooltip, and what
// a screen reader says) with the counts behind the bar.

export interface ControlShare {
  control: Control;
  /** Hosts of the cluster by their verdict on the control. */
  counts: StatusCounts;
}

const WIDTH = 320;
const ROW = 16;
const BAR_X = 176;
const BAR_WIDTH = 100;
const BAR_HEIGHT = 10;
const LABEL_CHARS = 31;
/** Left to right: passing, then what needs attention, not applicable last. */
export const BAR_ORDER: readonly Status[] = ['PASS', 'WARN', 'FAIL', 'ERROR', 'NOT_APPLICABLE'];

export function shareChart(cluster: string, shares: readonly ControlShare[]): Html {
  const height = shares.length * ROW;
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${cluster}: share of hosts passing each control">${shares.map(
    (share, index) => row(share, index * ROW),
  )}</svg>`;
}

function row({ control, counts }: ControlShare, top: number): Html {
  const hosts = STATUSES.reduce((sum, s) => sum + counts[s], 0);
  const applicable = hosts - counts.NOT_APPLICABLE;
  // Rounded down: 100% only when every host passes.
  const share = applicable === 0 ? 'n/a' : `${Math.floor((100 * counts.PASS) / applicable)}%`;
  const tally = STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${STATUS_LABEL[s]}`);
  const label = `${control.control} ${control.ruleId}`;
  const middle = top + ROW / 2;
  let x = BAR_X;
  const segments = BAR_ORDER.filter((s) => counts[s] > 0).map((s) => {
    const width = (BAR_WIDTH * counts[s]) / hosts;
    const segment = html`<rect class="s-${s}" x="${round(x)}" y="${middle - BAR_HEIGHT / 2}" width="${round(width)}" height="${BAR_HEIGHT}"/>`;
    x += width;
    return segment;
  });
  return html`<g><title>${control.control} ${control.title}: ${counts.PASS} of ${applicable} hosts pass (${tally.join(', ')})</title><text class="label" x="0" y="${middle}">${
    label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label
  }</text>${segments}<text class="share s-${worst(STATUSES.filter((s) => counts[s] > 0))}" x="${WIDTH}" y="${middle}" text-anchor="end">${share}</text></g>`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
