import type { Status } from './model.js';

// Statuses in one place: the order that puts what needs attention first, the labels a person
// reads, and the order counts are listed in.

/** Most urgent first: a conclusive FAIL, then what could not be judged, then what a human must look at. */
export const STATUSES: readonly Status[] = ['FAIL', 'ERROR', 'WARN', 'PASS', 'NOT_APPLICABLE'];

export const STATUS_LABEL: Record<Status, string> = { PASS: 'PASS', FAIL: 'FAIL', WARN: 'WARN', NOT_APPLICABLE: 'N/A', ERROR: 'ERROR' };

/** The order status counts are listed in, in the text report and the terminal views. */
export const COUNT_ORDER: readonly Status[] = ['PASS', 'FAIL', 'WARN', 'NOT_APPLICABLE', 'ERROR'];

/** Higher is more urgent, as STATUSES orders them. */
export function severity(status: Status): number {
  return STATUSES.length - STATUSES.indexOf(status);
}

/** When several results make one (instances of a component, settings of a check), the most urgent wins. */
export function worst(statuses: Iterable<Status>): Status {
  let result: Status = 'NOT_APPLICABLE';
  for (const status of statuses) if (severity(status) > severity(result)) result = status;
  return result;
}

/** FAIL, WARN and ERROR: someone has to act or look. PASS and NOT_APPLICABLE need nothing. */
export function needsAttention(status: Status): boolean {
  return status === 'FAIL' || status === 'WARN' || status === 'ERROR';
}

/** --fail-on: fail (default) makes the run fail on any FAIL; warn on any FAIL or WARN; never on neither. */
export type FailOn = 'fail' | 'warn' | 'never';
export const FAIL_ON: readonly FailOn[] = ['fail', 'warn', 'never'];
