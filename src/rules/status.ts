import type { Status } from '../model.js';

// When several results make one (instances of a component, settings of a check), the one that
// needs attention first wins: a conclusive FAIL over an ERROR over a WARN over a PASS.
const SEVERITY: Record<Status, number> = { FAIL: 4, ERROR: 3, WARN: 2, PASS: 1, NOT_APPLICABLE: 0 };

export function worst(statuses: Iterable<Status>): Status {
  let result: Status = 'NOT_APPLICABLE';
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[result]) result = status;
  return result;
}

/** FAIL, WARN and ERROR: someone has to act or look. PASS and NOT_APPLICABLE need nothing. */
export function needsAttention(status: Status): boolean {
  return status === 'FAIL' || status === 'WARN' || status === 'ERROR';
}

export function severity(status: Status): number {
  return SEVERITY[status];
}
