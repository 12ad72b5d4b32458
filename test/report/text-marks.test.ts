import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text.js';
import { PAYLOAD_SHOWN, rawControls, unvalidatedHostileResult } from '../support/hostile-result.js';
import { finding, scanResult } from '../support/scan-results.js';

describe('renderText with waivers and a baseline', () => {
  const waiver = { justification: 'isolated VLAN (CHG-1)', expires: '2026-12-31', source: 'w.yaml:4' };
  const result = scanResult(
    [
      finding({ host: 'cp1', status: 'FAIL', change: 'unchanged', waiver }),
      finding({ host: 'cp2', status: 'FAIL', change: 'new', reason: 'auto-tls on' }),
      finding({ host: 'cp3', status: 'PASS', change: 'changed' }),
    ],
    {
      baseline: {
        file: 'monday.json',
        startedAt: '2026-11-23T10:00:00.000Z',
        counts: { new: 1, unchanged: 1, changed: 1, resolved: 1 },
        resolved: [finding({ host: 'cp3', status: 'FAIL', reason: 'was \u001b[31mred' })],
      },
      expiredWaivers: [{ rule: '2.3', hosts: 'cluster lab', justification: 'lab only', expires: '2026-01-31', source: 'w.yaml:9' }],
    },
  );
  const text = renderText(result, { color: false, all: false });

  it('marks new and waived findings, and lists the waived ones with their justification', () => {
    expect(text).toMatch(/^FAIL +cp1 +2\.2 +etcd-client-cert-auth +\[waived\] --client-cert-auth is false$/m);
    expect(text).toMatch(/^FAIL +cp2 +2\.2 +etcd-client-cert-auth +\[new\] auto-tls on$/m);
    expect(text).toContain(
      'WAIVED (accepted risks: reported, but they do not fail the run)\n  cp1  2.2 etcd-client-cert-auth  FAIL  waived until 2026-12-31 (w.yaml:4): isolated VLAN (CHG-1)\n',
    );
    expect(text).toMatch(/^TOTAL {2}1 PASS · 2 FAIL · 0 WARN · 0 N\/A · 0 ERROR \(1 waived\)$/m);
  });

  it('lists expired waivers and what changed since the baseline, escaping baseline text', () => {
    expect(text).toContain('EXPIRED WAIVERS (no longer applied: renew or remove them)\n  2.3 cluster lab: expired after 2026-01-31 (w.yaml:9): lab only\n');
    expect(text).toContain(
      'CHANGES SINCE BASELINE monday.json (scan of 2026-11-23T10:00:00.000Z)\n  1 new · 1 changed · 1 unchanged · 1 resolved\n  resolved: was FAIL  cp3  2.2 etcd-client-cert-auth  was \\e[31mred\n',
    );
    expect(text).not.toMatch(/\u001b/);
  });

  it('adds nothing when there are no waivers and no baseline', () => {
    const plain = renderText(scanResult([finding()]), { color: false, all: false });
    expect(plain).not.toMatch(/WAIVED|EXPIRED|BASELINE|\[/);
  });
});

describe('renderText of a hostile result file', () => {
  // The report's own colors (text.ts COLORS, and the reset): the only escape sequences it writes.
  const OWN_COLORS = /\u001b\[(?:32|31;1|33|2|35;1|0)m/g;
  const result = unvalidatedHostileResult();
  const plain = renderText(result, { color: false, all: true });

  it('escapes every field, the ones it used to trust too: tool version, benchmark, control, rule id, status', () => {
    expect(rawControls(plain)).toEqual([]);
    expect(plain).toContain(`fleetbench 0.1.0${PAYLOAD_SHOWN} · CIS Kubernetes Benchmark 1.12${PAYLOAD_SHOWN} · 2 hosts in 1 clusters · `);
    expect(plain).toContain(`PASS    evil-1${PAYLOAD_SHOWN}  2.4${PAYLOAD_SHOWN}  rule-pass${PAYLOAD_SHOWN}  [changed] reason${PAYLOAD_SHOWN}\n`);
    expect(plain).toContain(`  evil-1${PAYLOAD_SHOWN}  2.2${PAYLOAD_SHOWN} rule${PAYLOAD_SHOWN}  FAIL  waived until 2026-12-31${PAYLOAD_SHOWN}`);
    expect(plain).toContain(`  rule${PAYLOAD_SHOWN} hosts${PAYLOAD_SHOWN}: expired after 2026-01-31${PAYLOAD_SHOWN} (waivers.yaml:9${PAYLOAD_SHOWN})`);
    expect(plain).toContain(`  resolved: was FAIL  evil-1${PAYLOAD_SHOWN}  2.9${PAYLOAD_SHOWN} rule-gone${PAYLOAD_SHOWN}  reason${PAYLOAD_SHOWN}\n`);
  });

  it('writes no escape sequence but its own colors when colors are on', () => {
    const colored = renderText(result, { color: true, all: true });
    expect(colored).toMatch(OWN_COLORS);
    expect(colored.replace(OWN_COLORS, '')).toBe(plain);
  });
});
