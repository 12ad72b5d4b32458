import { needsAttention } from '../status.js';
import { groupBy } from '../group-by.js';
import type { BaselineComparison, Finding, ScanResult } from '../model.js';

// Comparing a scan with a baseline (a JSON result of an earlier run, `--baseline previous.json`).
//
// Matching: a finding is the same finding in both runs when host and rule id agree. Control
// numbers are not used (they differ between benchmark versions) and neither is the cluster (a
// host moved to another cluster in the inventory is still the same machine). One rule can give
// several findings on one host (the membership check, one per disagreeing member); those are
// paired one to one, first with a baseline finding of the same status and the same `actual`,
// then of the same status, then in file order.
//
// Each current finding then gets `change`:
// - 'new':       it is FAIL, WARN or ERROR now, and its baseline partner had another status or
//                there was none. FAIL -> ERROR is 'new' (a new problem: we cannot see any more).
// - 'unchanged': its partner had the same status.
// - 'changed':   it has a partner with another status, and it is PASS or NOT_APPLICABLE now
//                (FAIL -> PASS, PASS -> NOT_APPLICABLE).
// - no mark:     it is PASS or NOT_APPLICABLE and had no partner (a new host that passes):
//                nothing to act on.
//
// `result.baseline.resolved` lists the baseline findings that were FAIL, WARN or ERROR and are
// not any more: their partner is PASS or NOT_APPLICABLE now, or they have no partner. A FAIL that
// became a WARN or an ERROR is not resolved; the current finding is 'new' instead. The counts are
// the number of findings with each mark, and the number of resolved ones.
//
// Only what both scans covered is compared: hosts in both results and rules in both. A host or
// rule only one of them has (a --limit, --check or --skip on either side, a host added to the
// inventory or removed from it) says nothing about change: its findings get no mark and are not
// resolved, and `result.baseline.notCompared` names those hosts and rules.

/**
 * Marks every finding of `current` against `previous` (a baseline as read by readResultFile, which
 * refuses what is not a result of this schema major version), and adds `result.baseline`. `file`
 * names the baseline in the result.
 */
export function compareWithBaseline(current: ScanResult, previous: ScanResult, file: string): ScanResult {
  const scope = commonScope(current, previous);
  const baseline = { startedAt: previous.startedAt, findings: previous.findings.map(asRecorded).filter(scope.covers) };
  const partners = pairFindings(current.findings.filter(scope.covers), baseline.findings);

  const findings = current.findings.map((finding) => {
    const change = scope.covers(finding) ? changeOf(finding, partners.get(finding)) : undefined;
    return change === undefined ? finding : { ...finding, change };
  });
  const successors = new Map([...partners].flatMap(([now, before]) => (before === undefined ? [] : [[before, now] as const])));
  const resolved = baseline.findings.filter((before) => {
    const now = successors.get(before);
    return needsAttention(before.status) && (now === undefined || !needsAttention(now.status));
  });

  const count = (change: Finding['change']) => findings.filter((f) => f.change === change).length;
  const comparison: BaselineComparison = {
    file,
    startedAt: baseline.startedAt,
    counts: { new: count('new'), unchanged: count('unchanged'), changed: count('changed'), resolved: resolved.length },
    resolved,
  };
  if (scope.notCompared !== undefined) comparison.notCompared = scope.notCompared;
  return { ...current, findings, baseline: comparison };
}

/** The hosts and rules both results cover, and those only one of them does. */
function commonScope(current: ScanResult, previous: ScanResult): { covers: (finding: Finding) => boolean; notCompared?: BaselineComparison['notCompared'] } {
  const hostsNow = new Set(current.hosts.map((h) => h.name));
  const hostsBefore = new Set(previous.hosts.map((h) => h.name));
  const rulesNow = new Set(current.findings.map((f) => f.ruleId));
  const rulesBefore = new Set(previous.findings.map((f) => f.ruleId));
  const only = (these: Set<string>, those: Set<string>) => [...these].filter((name) => !those.has(name));
  const notCompared = {
    hostsOnlyNow: only(hostsNow, hostsBefore),
    hostsOnlyBefore: only(hostsBefore, hostsNow),
    rulesOnlyNow: only(rulesNow, rulesBefore),
    rulesOnlyBefore: only(rulesBefore, rulesNow),
  };
  const covers = (finding: Finding) =>
    hostsNow.has(finding.host) && hostsBefore.has(finding.host) && rulesNow.has(finding.ruleId) && rulesBefore.has(finding.ruleId);
  return Object.values(notCompared).some((names) => names.length > 0) ? { covers, notCompared } : { covers };
}

function changeOf(finding: Finding, before: Finding | undefined): Finding['change'] {
  if (before !== undefined && before.status === finding.status) return 'unchanged';
  if (needsAttention(finding.status)) return 'new';
  return before === undefined ? undefined : 'changed';
}

/** Each current finding's partner in the baseline, or undefined when it has none. */
function pairFindings(current: readonly Finding[], previous: readonly Finding[]): Map<Finding, Finding | undefined> {
  const unpaired = groupBy(previous, matchKey);
  const partners = new Map<Finding, Finding | undefined>(current.map((now) => [now, undefined]));
  const passes: ((now: Finding, before: Finding) => boolean)[] = [
    (now, before) => now.status === before.status && now.actual === before.actual,
    (now, before) => now.status === before.status,
    () => true,
  ];
  for (const sameEnough of passes) {
    for (const now of current) {
      if (partners.get(now) !== undefined) continue;
      const candidates = unpaired.get(matchKey(now)) ?? [];
      const index = candidates.findIndex((before) => sameEnough(now, before));
      if (index >= 0) partners.set(now, candidates.splice(index, 1)[0]);
    }
  }
  return partners;
}

/**
 * A baseline finding with only the fields of this schema version: a newer minor version's
 * additions do not leak into this run's result, and its own `change` and `waiver` are dropped
 * (they described that run, against its own baseline and waiver file).
 */
function asRecorded(finding: Finding): Finding {
  const { host, cluster, ruleId, control, title, status, reason, expected, actual, evidence, remediation } = finding;
  return {
    host,
    cluster,
    ruleId,
    control,
    title,
    status,
    reason,
    expected,
    actual,
    evidence: evidence.map(({ source, key, value }) => (key === undefined ? { source, value } : { source, key, value })),
    remediation,
  };
}

function matchKey(finding: Finding): string {
  return JSON.stringify([finding.host, finding.ruleId]);
}
