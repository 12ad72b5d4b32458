import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model.js';
import { CONTENT_SECURITY_POLICY, renderHtml } from '../../src/report/html.js';
import { PAYLOAD_SHOWN, rawControls, unvalidatedHostileResult } from '../support/hostile-result.js';
import { finding, host, scanResult } from '../support/scan-results.js';

const PAYLOAD = `</script><script>alert(1)</script><img src=x onerror="alert(2)">'\u001b[2J<!--\u2028`;

function between(page: string, open: string, close: string): string {
  const start = page.indexOf(open);
  expect(start, `${open} in the page`).toBeGreaterThanOrEqual(0);
  return page.slice(start + open.length, page.indexOf(close, start + open.length));
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

describe('renderHtml', () => {
  const result = scanResult([
    finding({ host: 'cp1', ruleId: 'etcd-no-auto-tls', control: '2.3', status: 'PASS' }),
    finding({ host: 'cp1', ruleId: 'apiserver-etcd-cafile', control: '1.2.26', status: 'WARN' }),
    finding({ host: 'cp2', ruleId: 'etcd-cluster-membership', control: '-', status: 'WARN' }),
    finding({ host: 'cp2', ruleId: 'etcd-client-cert-auth', control: '2.2', status: 'FAIL' }),
  ]);
  const page = renderHtml(result);

  it('allows exactly its own inline style and script, by hash, and nothing from outside', () => {
    const policy = between(page, '<meta http-equiv="Content-Security-Policy" content="', '"');
    expect(policy.replaceAll('&#39;', "'")).toBe(CONTENT_SECURITY_POLICY);
    const style = between(page, '<style>', '</style>');
    const script = between(page, '<script>', '</script>');
    expect(CONTENT_SECURITY_POLICY).toBe(
      `default-src 'none'; style-src 'sha256-${sha256(style)}'; script-src 'sha256-${sha256(script)}'; base-uri 'none'; form-action 'none'`,
    );
    expect(page).not.toMatch(/\ssrc=|href="(?!#)|url\(|@import|https?:\/\/|style="|\son[a-z]+=/i);
    expect(page.match(/<script\b/g)).toHaveLength(2);
  });

  it('renders every finding as a row with the data the script filters and sorts on', () => {
    const rows = [...page.matchAll(/<tr id="f-(\d+)" data-status="(\w+)"[^>]* data-host="([^"]*)"/g)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual([
      ['0', 'PASS', 'cp1'],
      ['1', 'WARN', 'cp1'],
      ['2', 'WARN', 'cp2'],
      ['3', 'FAIL', 'cp2'],
    ]);
    expect(between(page, '<div id="filters" class="filters" hidden>', '</div>')).toContain(
      'data-filter-status="FAIL" aria-pressed="false">FAIL <span class="count">1</span>',
    );
  });

  it('draws the matrix with one row per host and the controls in numeric order, linking to the findings', () => {
    const matrix = between(page, '<table class="matrix">', '</table>');
    const controls = [...matrix.matchAll(/<span class="control">([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(controls).toEqual(['1.2.26', '2.2', '2.3', '-']);
    expect(matrix.match(/<tr><th scope="row">/g)).toHaveLength(2);
    expect(matrix).toContain('<td class="s-FAIL"><a href="#f-3"');
    expect(matrix).toContain('<td class="empty">–</td>');
  });

  it('escapes host text in content, attributes, the title and the embedded JSON, and shows control characters', () => {
    const hostile: ScanResult = scanResult(
      [finding({ host: PAYLOAD, cluster: PAYLOAD, reason: PAYLOAD, actual: PAYLOAD, evidence: [{ source: PAYLOAD, key: PAYLOAD, value: PAYLOAD }] })],
      { inventory: PAYLOAD, hosts: [host({ name: PAYLOAD, cluster: PAYLOAD, reached: false, error: PAYLOAD })] },
    );
    const out = renderHtml(hostile);
    expect(out).not.toContain('<script>alert');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('\u001b');
    expect(out.match(/<\/script>/g)).toHaveLength(2);
    expect(out).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;&#39;\\e[2J&lt;!--');
    expect(between(out, '<title>', '</title>')).toBe(`fleetbench audit · ${between(out, '<code>', '</code>')} · ${hostile.startedAt}`);

    const json = between(out, '<script type="application/json" id="fleetbench-result">', '</script>');
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(hostile);
  });

  it('escapes every field of a hostile result file, also in the embedded JSON, which still parses back exactly', () => {
    const hostile = unvalidatedHostileResult();
    const out = renderHtml(hostile);
    expect(rawControls(out)).toEqual([]);
    expect(out).toContain(`<meta name="generator" content="fleetbench 0.1.0${PAYLOAD_SHOWN}">`);
    expect(out).toContain(`<td>sudo${PAYLOAD_SHOWN}</td>`);
    expect(out).toContain(`<td>expired-justification${PAYLOAD_SHOWN}</td>`);
    expect(JSON.parse(between(out, '<script type="application/json" id="fleetbench-result">', '</script>'))).toEqual(hostile);
  });

  it('shows waivers, the baseline comparison, expired waivers and an interrupted scan when present', () => {
    const waived = finding({
      host: 'cp1',
      status: 'FAIL',
      change: 'unchanged',
      waiver: { justification: 'isolated VLAN', expires: '2026-12-31', source: 'w.yaml:4' },
    });
    const gone = finding({ host: 'cp9', ruleId: 'etcd-no-auto-tls', control: '2.3', reason: 'auto-tls was on' });
    const out = renderHtml(
      scanResult([waived, finding({ host: 'cp2', status: 'ERROR', change: 'new' })], {
        interrupted: true,
        baseline: { file: 'monday.json', startedAt: '2026-11-23T10:00:00Z', counts: { new: 1, unchanged: 1, changed: 0, resolved: 1 }, resolved: [gone] },
        expiredWaivers: [{ rule: '2.3', hosts: 'cluster lab', justification: 'lab only', expires: '2026-01-31', source: 'w.yaml:9' }],
      }),
    );
    expect(out).toContain('The scan was interrupted');
    expect(out).toMatch(/<strong>1<\/strong> new,\s+0 changed, 1 unchanged, <strong>1<\/strong> resolved/);
    expect(between(out, '<caption>Resolved', '</table>')).toContain('<td>cp9</td><td>2.3</td><td>etcd-no-auto-tls</td><td>auto-tls was on</td>');
    expect(between(out, '<section id="expired-waivers">', '</section>')).toContain(
      '<td>2.3</td><td>cluster lab</td><td>2026-01-31</td><td>lab only</td><td>w.yaml:9</td>',
    );
    expect(out).toContain('<p class="waiver"><strong>Accepted risk:</strong> waived until 2026-12-31 (w.yaml:4): isolated VLAN</p>');
    expect(out).toContain('<span class="mark change-new">new</span>');
    expect(out).toContain('id="changed-only"');
    expect(out).toContain('data-sort="change"');
    expect(out).toContain('<td class="s-FAIL waived">');

    expect(page).not.toContain('id="changes"');
    expect(page).not.toContain('id="expired-waivers"');
    expect(page).not.toContain('data-sort="change"');
    expect(page).not.toContain('interrupted');
  });
});
