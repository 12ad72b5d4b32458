import type { Finding, Status } from '../../../../src/model.js';
import type { Layout } from './layout.js';

export interface VerdictMismatch {
  host: string;
  rule: string;
  expected: Status;
  /** undefined when fleetbench reported no finding for the rule on the host. */
  got: Status | undefined;
  reason: string;
}

/** Every expected verdict of every host's layout that the findings do not match. */
export function verdictMismatches(layouts: Layout[], findings: Finding[]): VerdictMismatch[] {
  return layouts.flatMap((layout) =>
    layout.hosts.flatMap((host) =>
      Object.entries(layout.expected).flatMap(([rule, expected]) => {
        const finding = findings.find((f) => f.host === host && f.ruleId === rule);
        if (finding?.status === expected) return [];
        return [{ host, rule, expected, got: finding?.status, reason: finding ? finding.reason : 'no finding for this rule' }];
      }),
    ),
  );
}

/** A table for the test's failure message: one line per mismatch, with fleetbench's reason. */
export function formatMismatches(mismatches: VerdictMismatch[]): string {
  const rows = mismatches.map((m) => [m.host, m.rule, m.expected, m.got ?? '(none)', m.reason]);
  const header = ['HOST', 'RULE', 'EXPECTED', 'GOT', 'REASON'];
  const widths = header.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ');
  return [`${mismatches.length} verdict(s) differ from fixtures/e2e:`, line(header), ...rows.map(line)].join('\n');
}
