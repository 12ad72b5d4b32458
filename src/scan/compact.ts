import type { Evidence, Finding } from '../model.js';

// A scan of 10,000 hosts keeps 150,000 findings until it is reported, so each must hold only its
// own bytes. Strings cut out of what a host returned (a flag value sliced from a manifest) can
// keep that whole text alive in V8; fresh copies do not. The same evidence recurs across a fleet
// ("/etc/kubernetes/manifests/etcd.yaml line 16", the same CA fingerprint), so copies are shared.

const pool = new Map<string, string>();
const POOL_LIMIT = 200_000;

function own(text: string): string {
  const known = pool.get(text);
  if (known !== undefined) return known;
  const copy = Buffer.from(text, 'utf8').toString('utf8');
  if (pool.size >= POOL_LIMIT) pool.clear();
  pool.set(copy, copy);
  return copy;
}

function ownEvidence(evidence: Evidence): Evidence {
  const copy: Evidence = { source: own(evidence.source), value: evidence.value === null ? null : own(evidence.value) };
  if (evidence.key !== undefined) copy.key = own(evidence.key);
  return copy;
}

/** The same findings, holding no references into host data. Rule texts stay shared as they are. */
export function compactFindings(findings: Finding[]): Finding[] {
  return findings.map((finding) => ({
    ...finding,
    reason: own(finding.reason),
    actual: own(finding.actual),
    evidence: finding.evidence.map(ownEvidence),
  }));
}
