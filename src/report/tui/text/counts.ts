import { COUNT_ORDER, STATUS_LABEL, needsAttention } from '../../../status.js';
import type { StatusCounts } from '../../summary.js';
import type { Segment } from '../line.js';

/** `28 PASS  4 FAIL  1 WARN  2 N/A  5 ERROR`, each colored when it needs attention. */
export function countSegments(counts: StatusCounts): Segment[] {
  return COUNT_ORDER.flatMap((status, i): Segment[] => {
    const text = `${counts[status]} ${STATUS_LABEL[status]}`;
    const alarming = counts[status] > 0 && needsAttention(status);
    return [{ text: i === 0 ? '' : '  ' }, alarming ? { text, tone: status } : { text }];
  });
}
