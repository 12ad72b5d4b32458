import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model.js';
import { CONTENT_SECURITY_POLICY, renderHtml } from '../../src/report/html.js';
import { PAYLOAD_SHOWN, rawControls, unvalidatedHostileResult } from '../support/hostile-result.js';
import { comparedInPart, finding, host, mergedScans, partialScan, scanResult } from '../support/scan-results.js';

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

  it('lists the findings worst first, PASS and N/A behind the status filter, with the data the script sorts on', () => {
    const rows = [...page.matchAll(/<tr id="f-(\d+)" data-status="(\w+)"[^>]* data-host="([^"]*)"/g)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual([
      ['3', 'FAIL', 'cp2'],
      ['1', 'WARN', 'cp1'],
      ['2', 'WARN', 'cp2'],
      ['0', 'PASS', 'cp1'],
    ]);
    const filters = between(page, '<div id="filters" class="filters">', '</div>');
    expect(filters).toContain('<input type="checkbox" data-filter-status="FAIL" checked> FAIL <span class="count">1</span>');
    expect(filters).toContain('<input type="checkbox" data-filter-status="WARN" checked> WARN <span class="count">2</span>');
    expect(filters).toContain('<input type="checkbox" data-filter-status="PASS"> PASS <span class="count">1</span>');
    expect(filters).toContain('<input type="checkbox" data-filter-status="NOT_APPLICABLE"> N/A <span class="count">0</span>');
    // The filtering itself is the stylesheet's (so that it works with JavaScript off): checked in Chromium.
    expect(between(page, '<style>', '</style>')).toContain(
      '#findings:has([data-filter-status="PASS"]:not(:checked)) #findings-table > tbody > tr[data-status="PASS"]:not(:target) { display: none; }',
    );
    expect(filters).toContain('<span id="scripted" class="scripted" hidden><input type="search" id="search"');
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
    expect(out).toContain(`<li>--limit &#39;evil${PAYLOAD_SHOWN}&#39; left out 3 hosts of the inventory</li>`);
    expect(out).toContain(`<li>1 host only in the baseline: evil-9${PAYLOAD_SHOWN}</li>`);
    expect(out).toContain(`<span class="coverage">2 of 3 hosts scanned; evil-3${PAYLOAD_SHOWN} left out by --limit</span>`);
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
    expect(out).toContain('<h2>Interrupted <span class="meaning">(stopped by SIGINT or SIGTERM before it finished)</span></h2>');
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
  it('opens with the hosts that could not be audited, and why, before the summary and the findings', () => {
    const out = renderHtml(
      scanResult(
        [
          finding({ host: 'cp1', status: 'PASS' }),
          finding({ host: 'lab1', cluster: 'lab', status: 'ERROR', reason: 'host not scanned: connection refused' }),
          finding({ host: 'p1', cluster: 'part', status: 'ERROR', reason: 'cannot read the environment of pid 812' }),
        ],
        {
          hosts: [
            host({ name: 'cp1' }),
            host({
              name: 'lab1',
              cluster: 'lab',
              address: '10.0.9.1',
              reached: false,
              error: 'connection refused by 10.0.9.1:22 (no SSH server listening there)',
            }),
            host({ name: 'p1', cluster: 'part', problems: [{ subject: 'environ of pid 812', reason: 'needs root: scan with --become' }] }),
          ],
        },
      ),
    );
    const sections = [...out.matchAll(/<section id="([\w-]+)"/g)].map((m) => m[1]);
    expect(sections).toEqual(['not-audited', 'summary', 'findings', 'hosts', 'clusters', 'matrix']);
    const alert = between(out, '<section id="not-audited" class="alert">', '</section>');
    expect(alert).toContain('<h2>1 host could not be audited; 1 host could be audited only in part</h2>');
    expect(alert).toContain(
      '<td class="inline">lab</td><th scope="row" class="inline">lab1</th><td class="inline">10.0.9.1:22</td><td>connection refused by 10.0.9.1:22 (no SSH server listening there)</td>',
    );
    expect(alert).toContain('<td>control 2.2 could not be evaluated: environ of pid 812: needs root: scan with --become</td>');
    expect(alert).not.toContain('cp1');

    expect(page).not.toContain('id="not-audited"');
  });

  it('charts per cluster and per control the share of hosts passing, in inline SVG, then lists what failed', () => {
    const out = renderHtml(
      scanResult(
        [
          finding({ host: 'cp1', status: 'PASS' }),
          finding({ host: 'cp1', ruleId: 'etcd-peer-cert-file', control: '2.4', status: 'PASS' }),
          finding({ host: 'cp2', status: 'FAIL', reason: 'off' }),
          finding({ host: 'cp2', ruleId: 'etcd-peer-cert-file', control: '2.4', status: 'PASS' }),
          finding({ host: 'cp3', status: 'FAIL', reason: 'off', waiver: { justification: 'lab', expires: '2099-01-01', source: 'w.yaml:2' } }),
          finding({ host: 'cp3', ruleId: 'etcd-peer-cert-file', control: '2.4', status: 'WARN' }),
          finding({ host: 'solo', cluster: 'lab', status: 'PASS' }),
          finding({ host: 'solo', cluster: 'lab', ruleId: 'etcd-peer-cert-file', control: '2.4', status: 'NOT_APPLICABLE' }),
          finding({ host: 'gone', cluster: 'dark', status: 'ERROR' }),
        ],
        {
          hosts: [
            host({ name: 'cp1' }),
            host({ name: 'cp2' }),
            host({ name: 'cp3' }),
            host({ name: 'solo', cluster: 'lab' }),
            host({ name: 'gone', cluster: 'dark', reached: false }),
          ],
        },
      ),
    );
    const summary = between(out, '<section id="summary">', '</section>');
    expect(summary.replace(/<[^>]+>/g, '')).toContain('2 of 5 hosts pass every control; 2 fail at least one control; 1 could not be audited.');

    const prod = between(summary, '<figure class="cluster">\n<figcaption><span class="name">prod</span>', '</figure>');
    expect(prod).toContain('<span class="verdict s-FAIL">1 of 3 hosts pass every control</span>');
    expect(prod).toContain(
      '<svg class="chart" viewBox="0 0 320 32" width="320" height="32" role="img" aria-label="prod: share of hosts passing each control">',
    );
    const rows = prod.split('<g>').slice(1);
    expect(rows[0]).toContain('<title>2.2 Ensure that the --client-cert-auth argument is set to true: 1 of 3 hosts pass (2 FAIL, 1 PASS)</title>');
    expect(rows[0]).toContain(
      '<rect class="s-PASS" x="176" y="3" width="33.33" height="10"/><rect class="s-FAIL" x="209.33" y="3" width="66.67" height="10"/>',
    );
    expect(rows[0]).toContain('<text class="share s-FAIL" x="320" y="8" text-anchor="end">33%</text>');
    expect(rows[1]).toContain('>2.4 etcd-peer-cert-file</text>');
    expect(rows[1]).toContain('<text class="share s-WARN" x="320" y="24" text-anchor="end">66%</text>');

    const lab = between(summary, '<span class="name">lab</span>', '</figure>');
    expect(lab).toContain('<span class="verdict s-PASS">1 of 1 host pass every control</span>');
    expect(lab).toContain('<text class="share s-NOT_APPLICABLE" x="320" y="24" text-anchor="end">n/a</text>');
    const dark = between(summary, '<span class="name">dark</span>', '</figure>');
    expect(dark).toContain('not audited: no host reached');
    expect(dark).not.toContain('<svg');

    const failed = between(summary, '<table class="failed reflow">', '</table>');
    const failedRows = failed.split('<tr>').slice(2);
    expect(failedRows).toHaveLength(2);
    expect(failedRows[0]).toContain('<td class="inline">2.2</td>');
    expect(failedRows[0]).toContain(
      '<span class="cluster">prod:</span> <a href="#f-2">cp2</a>, <a href="#f-4">cp3</a> <span class="mark waived">waived</span>',
    );
    expect(failedRows[1]).toContain('<span class="badge s-WARN">WARN</span>');
    expect(failedRows[1]).toContain('<a href="#f-5">cp3</a>');
    expect(failed).not.toContain('gone');
  });

  it('renders the backticked spans of a remediation text as code, escaped; a lone backtick stays', () => {
    const out = renderHtml(scanResult([finding({ remediation: 'Use `- --client-cert-auth=<b>true</b>` (not `"true"`) & restart; a lone ` stays' })]));
    expect(between(out, '<p class="remediation"><strong>Remediation:</strong> ', '</p>')).toBe(
      'Use <code>- --client-cert-auth=&lt;b&gt;true&lt;/b&gt;</code> (not <code>&quot;true&quot;</code>) &amp; restart; a lone ` stays',
    );
  });

  it('names an inventory in a temporary directory by its file name only, and says so; the embedded result keeps the path', () => {
    for (const path of ['/tmp/fleetbench-Ab12Cd/inventory.yaml', '/var/folders/x1/abc123/T/fleetbench-Q/inventory.yaml']) {
      const out = renderHtml(scanResult([finding()], { inventory: path }));
      expect(between(out, '<p class="meta">', '</p>')).toContain('inventory <code>inventory.yaml</code> (from a temporary directory)');
      expect(between(out, '<title>', '</title>')).toBe('fleetbench audit · inventory.yaml · 2026-11-25T10:00:00.000Z');
      expect(out.slice(0, out.indexOf('id="fleetbench-result"'))).not.toContain(path.slice(0, path.lastIndexOf('/')));
      expect(JSON.parse(between(out, '<script type="application/json" id="fleetbench-result">', '</script>'))).toMatchObject({ inventory: path });
    }
    const meta = between(page, '<p class="meta">', '</p>');
    expect(meta).toContain('inventory <code>inventory/fleet.yaml</code> ·');
    expect(meta).toContain('scanned <time datetime="2026-11-25T10:00:00.000Z">2026-11-25 10:00:00 UTC</time> in 2.5 s');
  });

  it('says in a box in the header, before the totals and the summary, what a partial scan left out, and at each cluster scanned in part', () => {
    const out = renderHtml(partialScan());
    const head = between(out, '<header>', '</header>');
    const box = between(head, '<section id="coverage" class="banner" aria-label="What this report does not cover">', '</section>');
    expect(box).toContain('<h2>Partial scan <span class="meaning">(this report says nothing about what it left out)</span></h2>');
    expect(box).toContain(
      '<ul><li>--limit &#39;prod:!cp[34]&#39; left out 12 hosts of the inventory</li><li>--skip 2.6 left out 1 control: etcd-no-peer-auto-tls</li></ul>',
    );
    expect(head.indexOf('id="coverage"')).toBeLessThan(head.indexOf('class="totals"'));
    expect([...out.matchAll(/<section id="([\w-]+)"/g)].map((m) => m[1])).toEqual(['coverage', 'summary', 'findings', 'hosts', 'clusters', 'matrix']);

    const scannedInPart = '<span class="coverage">2 of 4 hosts scanned; cp3, cp4 left out by --limit</span>';
    expect(between(out, '<figure class="cluster">', '</figcaption>')).toContain(scannedInPart);
    expect(between(out, '<section id="clusters">', '</section>')).toContain(
      `<th scope="row">prod${scannedInPart}</th><td class="num">2</td><td class="num">4</td>`,
    );
    expect(page).not.toContain('id="coverage"');
    expect(page).not.toContain('class="coverage"');
  });

  it('lists the scans of a merged report and what a baseline comparison left out, each under its heading', () => {
    const out = renderHtml({ ...mergedScans(), baseline: comparedInPart().baseline! });
    const box = between(out, '<section id="coverage"', '</section>');
    expect([...box.matchAll(/<h2>([^<]+) <span/g)].map((m) => m[1])).toEqual(['Merged from 2 results', 'Not compared with the baseline']);
    expect(box).toContain('<li>together they scan 3 of the 5 hosts of fleet/: 2 hosts in none of them</li>');
    expect(box).toContain('<li>2 hosts only in the baseline: cp3, cp4</li>');
  });

  it('escapes the names a hostile result gives what it left out', () => {
    const result = partialScan();
    result.selection!.limit = PAYLOAD;
    result.clusters[0]!.notScanned = [PAYLOAD];
    const out = renderHtml(result);
    expect(out).not.toContain('<script>alert');
    expect(out).not.toContain('<img');
    expect(rawControls(out)).toEqual([]);
    expect(between(out, '<section id="coverage"', '</section>')).toContain(
      '<li>--limit &#39;&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;&#39;\\&#39;&#39;\\e[2J&lt;!--',
    );
    expect(between(out, '<figure class="cluster">', '</figcaption>')).toContain('left out by --limit</span>');
  });
});
