import type { Finding, ScanResult, Waiver } from '../../model.js';
import { globMatch } from '../../glob.js';
import type { WaiverEntry } from './waiver-file.js';

// What a waiver does to a scan result:
//
// - It covers a finding when its rule names the finding's rule id or its control number (in the
//   benchmark the scan used), and the finding's host and cluster match the host and cluster
//   patterns it gives. The first covering waiver in the file wins. Patterns are shell globs, `*`
//   and `?` only and case-sensitive (src/glob.ts): no character classes or braces, because a
//   waiver widens what passes an audit and its scope should be obvious from reading it.
// - Only FAIL and WARN are waived: they are risks someone can accept. An ERROR is not: it means
//   the control could not be evaluated, and accepting "we do not know" would hide an unreachable
//   host or a broken probe. PASS and NOT_APPLICABLE need no waiver.
// - A waived finding keeps its status (the evidence is still true); `finding.waiver` says that
//   the risk is accepted, by whom and until when. Exit codes and reports read it from there.
// - A waiver applies up to and including its `expires` day, in UTC. From the next day on it
//   covers nothing, and it is listed in `result.expiredWaivers`, so that the FAIL it used to hide
//   comes back with an explanation instead of as a surprise.

const WAIVABLE: ReadonlySet<Finding['status']> = new Set(['FAIL', 'WARN']);

export function applyWaivers(result: ScanResult, waivers: readonly WaiverEntry[], today: Date): ScanResult {
  const day = today.toISOString().slice(0, 10);
  const active = waivers.filter((w) => w.expires >= day);
  const expired = waivers.filter((w) => w.expires < day);
  const findings = result.findings.map((finding) => {
    if (!WAIVABLE.has(finding.status)) return finding;
    const waiver = active.find((w) => covers(w, finding));
    return waiver === undefined ? finding : { ...finding, waiver: applied(waiver) };
  });
  const applies: ScanResult = { ...result, findings };
  if (expired.length === 0) return applies;
  return { ...applies, expiredWaivers: expired.map((w) => ({ ...applied(w), rule: w.rule, hosts: scope(w) })) };
}

function covers(waiver: WaiverEntry, finding: Finding): boolean {
  return (
    (waiver.rule === finding.ruleId || waiver.rule === finding.control) &&
    (waiver.host === undefined || globMatch(finding.host, waiver.host)) &&
    (waiver.cluster === undefined || globMatch(finding.cluster, waiver.cluster))
  );
}

function applied(waiver: WaiverEntry): Waiver {
  return { justification: waiver.justification, expires: waiver.expires, source: waiver.source };
}

/** The waiver's scope as a reader would say it: `host stage-*`, `cluster staging`, or both. */
function scope(waiver: Pick<WaiverEntry, 'host' | 'cluster'>): string {
  const parts: string[] = [];
  if (waiver.cluster !== undefined) parts.push(`cluster ${waiver.cluster}`);
  if (waiver.host !== undefined) parts.push(`host ${waiver.host}`);
  return parts.join(', ');
}
