import { worst } from '../../status.js';
import { compareControls } from '../control-order.js';
import { groupBy } from '../../group-by.js';
import type { Finding, Status } from '../../model.js';

// A host's verdict on a control, as the summary chart counts it and the host × control grid shows
// it: the worst of its findings, when a control gives several on one host (two etcd instances).

export interface Control {
  ruleId: string;
  control: string;
  title: string;
}

/** One entry per rule, in control-number order; fleetbench's own checks (control "-") last. */
export function controlsOf(findings: readonly Finding[]): Control[] {
  const byRule = new Map<string, Control>();
  for (const f of findings) if (!byRule.has(f.ruleId)) byRule.set(f.ruleId, { ruleId: f.ruleId, control: f.control, title: f.title });
  return [...byRule.values()].sort((a, b) => compareControls(a.control, b.control) || a.ruleId.localeCompare(b.ruleId));
}

/** The findings of one host for one rule; none when the rule did not look at that host. */
export function findingsByHostAndRule(findings: readonly Finding[]): (host: string, ruleId: string) => Finding[] {
  const key = (host: string, ruleId: string) => JSON.stringify([host, ruleId]);
  const cells = groupBy(findings, (finding) => key(finding.host, finding.ruleId));
  return (host, ruleId) => cells.get(key(host, ruleId)) ?? [];
}

export interface Verdict {
  status: Status;
  /** A waiver covers the finding that gives the verdict. */
  waived: boolean;
}

export function verdictOf(findings: readonly Finding[]): Verdict | undefined {
  if (findings.length === 0) return undefined;
  const status = worst(findings.map((f) => f.status));
  return { status, waived: findings.some((f) => f.status === status && f.waiver !== undefined) };
}
