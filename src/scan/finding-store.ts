import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Evidence, Finding } from '../model.js';
import { collectIfLarge } from './heap.js';

// A scan of 10,000 hosts holds 150,000 findings until it reports them. Kept as objects while the
// scan runs, they (and the garbage V8 lets pile up in proportion) made peak memory grow by tens
// of kilobytes per host. Each judged cluster's findings are kept compressed instead, and turned
// back into objects once, at the end. The round trip through JSON also gives every string its
// own storage, so nothing the hosts returned stays reachable through a slice of it.

/**
 * Fields that repeat across findings (rule texts, statuses) and across a fleet's hosts (paths,
 * flag values, where evidence came from): one shared copy each when unpacked.
 */
const SHARED_FIELDS = ['cluster', 'ruleId', 'control', 'title', 'status', 'expected', 'remediation'] as const;

// zlib's default window and state take ~256 KB of native memory per call until V8 collects the
// handle; a cluster's findings are a few kilobytes and compress as well with a small window.
const ZLIB = { windowBits: 11, memLevel: 5 };

/** Findings as FindingStore keeps them: compressed JSON, in a buffer of their own that can be sent to another thread. */
export function packFindings(findings: Finding[]): Uint8Array {
  // A copy: zlib's output is a slice of a much larger buffer that it would keep alive.
  return new Uint8Array(deflateRawSync(JSON.stringify(findings), ZLIB));
}

export class FindingStore {
  private readonly packed = new Map<string, Buffer>();
  private readonly shared = new Map<string, string>();
  private readonly evidence = new Map<string, Evidence>();

  put(key: string, findings: Finding[]): void {
    this.putPacked(key, packFindings(findings));
  }

  /** Findings packed by packFindings, possibly in another thread. */
  putPacked(key: string, packed: Uint8Array): void {
    this.packed.set(key, Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength));
  }

  /** The findings stored under each key, in the order of `keys`. */
  unpack(keys: Iterable<string>): Finding[] {
    const findings: Finding[] = [];
    let unpacked = 0;
    for (const key of keys) {
      const packed = this.packed.get(key);
      if (!packed) continue;
      // Each cluster's parse leaves garbage behind (its copies of shared texts); clear it as we go.
      if (++unpacked % 1000 === 0) collectIfLarge();
      for (const finding of JSON.parse(inflateRawSync(packed, ZLIB).toString('utf8')) as Finding[]) {
        for (const field of SHARED_FIELDS) finding[field] = this.share(finding[field]) as never;
        finding.actual = this.share(finding.actual);
        finding.reason = this.share(finding.reason);
        finding.evidence = finding.evidence.map((evidence) => this.shareEvidence(evidence));
        findings.push(finding);
      }
    }
    return findings;
  }

  /** Evidence is never modified after evaluation, so identical evidence can be one frozen object. */
  private shareEvidence(evidence: Evidence): Evidence {
    const key = `${evidence.source}\u0000${evidence.key ?? ''}\u0000${evidence.value ?? '\u0001'}`;
    const known = this.evidence.get(key);
    if (known) return known;
    const copy: Evidence = { source: this.share(evidence.source), value: evidence.value === null ? null : this.share(evidence.value) };
    if (evidence.key !== undefined) copy.key = this.share(evidence.key);
    Object.freeze(copy);
    this.evidence.set(key, copy);
    return copy;
  }

  private share(text: string): string {
    const known = this.shared.get(text);
    if (known !== undefined) return known;
    this.shared.set(text, text);
    return text;
  }
}
