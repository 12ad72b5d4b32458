import type { ScanResult } from '../model.js';
import type { FailOn } from '../status.js';

// Exit codes for cron and CI, as DESIGN.md fixes them.
export const EXIT = {
  ok: 0,
  failed: 1,
  incomplete: 2,
  usage: 64,
  badInput: 65,
  internal: 70,
  /** An output file (-o) could not be written; the others were. sysexits' EX_CANTCREAT. */
  cannotWrite: 73,
} as const;

/** A waived FAIL or WARN is an accepted risk: it does not fail the run. */
export function exitCodeFor(result: ScanResult, failOn: FailOn): number {
  const statuses = new Set(result.findings.filter((f) => !f.waiver).map((f) => f.status));
  const failing = failOn === 'never' ? false : statuses.has('FAIL') || (failOn === 'warn' && statuses.has('WARN'));
  if (failing) return EXIT.failed;
  if (statuses.has('ERROR') || result.hosts.some((h) => !h.reached)) return EXIT.incomplete;
  return EXIT.ok;
}
