import type { Evidence, ScanResult, Waiver } from '../model.js';

// Wording shared by the file formats, so that CSV, JUnit and HTML say the same thing the same way.
// Returns raw text: each format escapes it for its medium.

/** `process 1795 command line: --client-cert-auth=false`, or `... : --auto-tls not set`. */
export function evidenceLine(evidence: Evidence): string {
  if (evidence.key === undefined) return `${evidence.source}: ${evidence.value ?? 'absent'}`;
  return evidence.value === null ? `${evidence.source}: ${evidence.key} not set` : `${evidence.source}: ${evidence.key}=${evidence.value}`;
}

/** `waived until 2026-12-31 (waivers.yaml:4): the justification`. */
export function waiverNote(waiver: Waiver): string {
  return `waived until ${waiver.expires} (${waiver.source}): ${waiver.justification}`;
}

/** `rule-id hosts: expired after 2026-01-31 (waivers.yaml:9): the justification`. */
export function expiredWaiverNote(waiver: NonNullable<ScanResult['expiredWaivers']>[number]): string {
  return `${waiver.rule} ${waiver.hosts}: expired after ${waiver.expires} (${waiver.source}): ${waiver.justification}`;
}
