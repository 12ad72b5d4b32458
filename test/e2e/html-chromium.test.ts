import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/demo/fleet-file.js';
import type { ScanResult } from '../../src/model.js';
import { renderHtml } from '../../src/report/html.js';
import { inventoryLabel } from '../../src/report/html/inventory-label.js';
import { needsAttention } from '../../src/status.js';
import { scanMembers } from '../support/fleet.js';
import { finding, host, scanResult } from '../support/scan-results.js';

// The HTML report in a real browser: Debian's chromium, driven by playwright-core (which never
// downloads a browser of its own). Missing chromium skips this file on a developer's machine and
// fails it in CI (FLEETBENCH_CI=1), where .ci/run installs it. Screenshots and the PDF are kept in
// test-artifacts/ (not committed) for a person to look at.

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url);
const XSS = 'fleetbench-xss';

interface Observed {
  dialogs: string[];
  requests: string[];
  console: string[];
  pageErrors: string[];
}

async function open(context: BrowserContext, url: string): Promise<{ page: Page; seen: Observed }> {
  const page = await context.newPage();
  const seen: Observed = { dialogs: [], requests: [], console: [], pageErrors: [] };
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('request', (request) => seen.requests.push(request.url()));
  page.on('console', (message) => seen.console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => seen.pageErrors.push(error.message));
  await page.goto(url, { waitUntil: 'load' });
  return { page, seen };
}

// Following a link to a finding opens it on `hashchange`, a task the browser runs after the click
// has returned: wait for what it shows (up to 5 s) instead of racing it, then say whether it shows.
async function shownAfterNavigation(locator: Locator): Promise<boolean> {
  await locator.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
  return locator.isVisible();
}

function expectInert(seen: Observed, url: string): void {
  expect(seen.dialogs).toEqual([]);
  expect(seen.requests.filter((r) => r !== url)).toEqual([]);
  expect(seen.console.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
  expect(seen.pageErrors).toEqual([]);
}

const visibleRows = (page: Page) => page.locator('#findings-table tbody tr:visible');

/** The shape of a row as the page script sees it (the tests' tsconfig has no DOM types). */
interface DataRow {
  dataset: Record<string, string | undefined>;
}

/** A data-* value of every visible finding row, in page order. */
function visibleData(page: Page, key: string): Promise<string[]> {
  return visibleRows(page).evaluateAll((rows, name) => rows.map((row) => (row as unknown as DataRow).dataset[name] ?? ''), key);
}

const isPng = (png: Buffer, width: number, height?: number) => {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.readUInt32BE(16)).toBe(width);
  if (height !== undefined) expect(png.readUInt32BE(20)).toBe(height);
};

/**
 * The pages of a PDF as Chromium writes it: each page is an object `/Type /Page`, and the page
 * tree's root says how many there are (`/Type /Pages ... /Count n`). Both must agree. Also the
 * MediaBox of every page, in points.
 */
function pdfPages(pdf: Buffer): { count: number; mediaBoxes: number[][] } {
  const text = pdf.toString('latin1');
  const pages = text.match(/\/Type\s*\/Page(?![s\w])/g) ?? [];
  const counts = [...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)/g)].map((m) => Number(m[1]));
  expect(counts).toEqual([pages.length]);
  const mediaBoxes = [...text.matchAll(/\/MediaBox\s*\[([^\]]+)\]/g)].map((m) => m[1]!.trim().split(/\s+/).map(Number));
  return { count: pages.length, mediaBoxes };
}

/** Elements that reach past the right edge of the viewport, but for those inside a box that scrolls sideways. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    interface Box {
      tagName: string;
      id: string;
      className: unknown;
      parentElement: Box | null;
      getBoundingClientRect(): { right: number; width: number };
    }
    const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): Iterable<Box>; documentElement: { clientWidth: number } } })
      .document;
    const styleOf = (globalThis as unknown as { getComputedStyle(element: Box): { overflowX: string } }).getComputedStyle;
    const width = doc.documentElement.clientWidth;
    const scrolls = (element: Box) => ['auto', 'scroll'].includes(styleOf(element).overflowX);
    const out: string[] = [];
    for (const element of doc.querySelectorAll('body *')) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.right <= width + 0.5) continue;
      let parent = element.parentElement;
      while (parent && !scrolls(parent)) parent = parent.parentElement;
      if (!parent) out.push(`${element.tagName}#${element.id}.${String(element.className)} reaches ${Math.round(rect.right)} px`);
    }
    return out;
  });
}

describe.skipIf(!existsSync(CHROMIUM) && process.env.FLEETBENCH_CI !== '1')('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let result: ScanResult;
  let url: string;
  /** The demo fleet alone, as `fleetbench demo -o report.html` writes it. */
  let demo: ScanResult;
  let demoUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (CI requires it)`);
    const hostile = (await loadFleet('hostile')).filter((m) => m.cluster === 'hostile');
    result = (await scanMembers([...(await loadFleet('demo')), ...hostile])).result;
    demo = (await scanMembers(await loadFleet('demo'))).result;
    dir = await mkdtemp(join(tmpdir(), 'fleetbench-html-'));
    const file = join(dir, 'report.html');
    await writeFile(file, renderHtml(result));
    url = pathToFileURL(file).href;
    await writeFile(join(dir, 'demo.html'), renderHtml(demo));
    demoUrl = pathToFileURL(join(dir, 'demo.html')).href;
    await mkdir(ARTIFACTS, { recursive: true });
    // launch() gives every run a fresh temporary profile (user-data dir) and removes it on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  });

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders the demo and hostile fleets without running host payloads or fetching anything', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const { page, seen } = await open(context, url);
    expect(await page.title()).toBe(`fleetbench audit · ${inventoryLabel(result.inventory).shown} · ${result.startedAt}`);
    expect(await page.title()).not.toContain(XSS);
    await expect(page.locator('#search').isVisible()).resolves.toBe(true);
    expect(await page.locator('img').count()).toBe(0);
    const hostileRow = page.locator('#findings-table tbody tr', { hasText: `onerror="document.title='${XSS}'"` }).first();
    await expect(hostileRow.getAttribute('data-host')).resolves.toBe('hostile-cp1');
    await page.check('[data-filter-status="PASS"]');
    expect(await page.locator('#findings-table').innerText()).toContain('\\e[2J\\e[31mPWNED');

    const png = await page.screenshot({ path: new URL('html-report.png', ARTIFACTS).pathname, fullPage: true });
    isPng(png, 1400);
    expect(png.readUInt32BE(20)).toBeGreaterThan(2000);
    expect(png.length).toBeGreaterThan(50_000);
    expectInert(seen, url);
    await context.close();
  });

  it('shows what needs attention first, PASS and N/A a tick away; searches, sorts and opens the evidence', async () => {
    const context = await browser.newContext();
    const { page, seen } = await open(context, url);
    const total = result.findings.length;
    const attention = result.findings.filter((f) => needsAttention(f.status)).length;
    const passing = result.findings.filter((f) => f.status === 'PASS').length;
    expect(attention).toBeGreaterThan(0);
    expect(new Set(await visibleData(page, 'status'))).toEqual(new Set(['FAIL', 'ERROR', 'WARN']));
    expect((await visibleData(page, 'status'))[0]).toBe('FAIL');
    await expect(visibleRows(page).count()).resolves.toBe(attention);
    expect(await page.locator('#shown-count').innerText()).toBe(String(attention));

    await page.check('[data-filter-status="PASS"]');
    await expect(visibleRows(page).count()).resolves.toBe(attention + passing);
    expect(await page.locator('#shown-count').innerText()).toBe(String(attention + passing));
    await page.uncheck('[data-filter-status="ERROR"]');
    await page.uncheck('[data-filter-status="WARN"]');
    await page.uncheck('[data-filter-status="PASS"]');
    const failing = result.findings.filter((f) => f.status === 'FAIL').length;
    expect(await visibleData(page, 'status')).toEqual(Array(failing).fill('FAIL'));
    expect(await page.locator('#shown-count').innerText()).toBe(String(failing));
    await page.check('[data-filter-status="ERROR"]');
    await page.check('[data-filter-status="WARN"]');
    await page.check('[data-filter-status="PASS"]');
    await page.check('[data-filter-status="NOT_APPLICABLE"]');
    await expect(visibleRows(page).count()).resolves.toBe(total);

    await page.fill('#search', 'stage-node1 auto-tls');
    const hosts = await visibleData(page, 'host');
    const rules = await visibleData(page, 'rule');
    expect(hosts.length).toBeGreaterThan(0);
    expect(hosts.length).toBeLessThan(total);
    expect(new Set(hosts)).toEqual(new Set(['stage-node1']));
    for (const rule of rules) expect(rule).toMatch(/auto-tls/);
    expect(await page.locator('#shown-count').innerText()).toBe(String(hosts.length));
    await page.fill('#search', '');

    await page.click('button[data-sort="host"]');
    const sorted = await visibleData(page, 'host');
    expect(sorted).toEqual([...sorted].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    expect(sorted).toHaveLength(total);

    const details = page.locator('#findings-table tbody tr details').first();
    await expect(details.locator('.remediation').isVisible()).resolves.toBe(false);
    await details.locator('summary').click();
    await expect(details.locator('.remediation').isVisible()).resolves.toBe(true);
    await page.click('#expand-all');
    expect(await page.locator('#findings-table details:not([open])').count()).toBe(0);
    expectInert(seen, url);
    await context.close();
  });

  it('leads from the summary to a finding: a link to a PASS shows it, ticks PASS and opens its evidence', async () => {
    const context = await browser.newContext();
    const { page, seen } = await open(context, url);
    const index = result.findings.findIndex((f) => f.status === 'PASS');
    const row = page.locator(`#f-${index}`);
    await expect(row.isVisible()).resolves.toBe(false);
    await page.locator(`#matrix a[href="#f-${index}"]`).click();
    await expect(row.isVisible()).resolves.toBe(true);
    await expect(shownAfterNavigation(row.locator('.remediation'))).resolves.toBe(true);
    expect(await page.isChecked('[data-filter-status="PASS"]')).toBe(true);
    const failed = page.locator('#summary table.failed a').first();
    const target = (await failed.getAttribute('href'))!;
    await failed.click();
    await expect(shownAfterNavigation(page.locator(target).locator('.remediation'))).resolves.toBe(true);
    expectInert(seen, url);
    await context.close();
  });

  it('reads completely with JavaScript off: the status filter still works, no dead controls', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const { page } = await open(context, url);
    const attention = result.findings.filter((f) => needsAttention(f.status)).length;
    await expect(visibleRows(page).count()).resolves.toBe(attention);
    await expect(page.locator('#search').isVisible()).resolves.toBe(false);
    await expect(page.locator('#expand-all').isVisible()).resolves.toBe(false);
    await page.check('[data-filter-status="PASS"]');
    await page.check('[data-filter-status="NOT_APPLICABLE"]');
    await expect(visibleRows(page).count()).resolves.toBe(result.findings.length);
    await page.uncheck('[data-filter-status="PASS"]');
    const index = result.findings.findIndex((f) => f.status === 'PASS');
    await expect(page.locator(`#f-${index}`).isVisible()).resolves.toBe(false);
    await page.locator(`#matrix a[href="#f-${index}"]`).click();
    await expect(page.locator(`#f-${index}`).isVisible()).resolves.toBe(true);
    await expect(page.locator('#matrix tbody tr').count()).resolves.toBe(result.hosts.length);
    await expect(page.locator('#not-audited').innerText()).resolves.toContain('connection refused');
    await context.close();
  });

  it('shows the summary chart above the fold at 1400×900: unaudited hosts, then every cluster', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const { page, seen } = await open(context, demoUrl);
    const boxOf = async (selector: string) => (await page.locator(selector).first().boundingBox())!;
    expect((await boxOf('#not-audited')).y).toBeLessThan(300);
    const charts = page.locator('#summary svg.chart');
    expect(await charts.count()).toBe(demo.clusters.filter((c) => demo.hosts.some((h) => h.cluster === c.name && h.reached)).length);
    for (const box of await Promise.all((await charts.all()).map((chart) => chart.boundingBox()))) {
      expect(box!.y + box!.height).toBeLessThanOrEqual(900);
      expect(box!.width).toBeGreaterThan(250);
    }
    expect(await page.locator('#summary figure.cluster').count()).toBe(demo.clusters.length);
    const png = await page.screenshot({ path: new URL('html-summary.png', ARTIFACTS).pathname });
    isPng(png, 1400, 900);
    expectInert(seen, demoUrl);
    await context.close();
  });

  it('shows what a partial scan left out in a box at the top, before the summary, on screen and on paper, and at the cluster scanned in part', async () => {
    const [cluster] = demo.clusters;
    const partial: ScanResult = {
      ...demo,
      selection: { limit: `all:!${cluster!.name}-x`, skip: ['2.6'], hostsLeftOut: 1, rulesLeftOut: ['etcd-no-peer-auto-tls'] },
      clusters: demo.clusters.map((c) => (c === cluster ? { ...c, notScanned: [`${c.name}-x`] } : c)),
    };
    const file = join(dir, 'partial.html');
    await writeFile(file, renderHtml(partial));
    const fileUrl = pathToFileURL(file).href;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const { page, seen } = await open(context, fileUrl);
    const box = page.locator('header #coverage');
    await expect(box.isVisible()).resolves.toBe(true);
    await expect(box.innerText()).resolves.toContain('--skip 2.6 left out 1 control: etcd-no-peer-auto-tls');
    const boxArea = (await box.boundingBox())!;
    expect(boxArea.y + boxArea.height).toBeLessThan(900);
    expect(boxArea.y).toBeLessThan((await page.locator('#summary').boundingBox())!.y);
    const caption = page.locator('#summary figure.cluster figcaption .coverage').first();
    await expect(caption.innerText()).resolves.toMatch(/^\d+ of \d+ hosts scanned; \S+-x left out by --limit$/);
    await page.screenshot({ path: new URL('html-partial.png', ARTIFACTS).pathname });
    await page.emulateMedia({ media: 'print' });
    await expect(box.isVisible()).resolves.toBe(true);
    await expect(caption.isVisible()).resolves.toBe(true);
    expectInert(seen, fileUrl);
    await context.close();
  });

  it('cuts no column off at 390 px: the summary and findings reflow, wide tables scroll in their own box', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const { page, seen } = await open(context, url);
    const png = await page.screenshot({ path: new URL('html-narrow.png', ARTIFACTS).pathname, fullPage: true });
    isPng(png, 390);
    expect(await page.locator('#findings-table > thead').isVisible()).toBe(false);
    const chart = (await page.locator('#summary svg.chart').first().boundingBox())!;
    expect(chart.width).toBeGreaterThan(300);

    await page.check('[data-filter-status="PASS"]');
    await page.check('[data-filter-status="NOT_APPLICABLE"]');
    await page.click('#expand-all');
    expect(await overflowing(page)).toEqual([]);
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth),
    ).toBe(390);
    for (const box of await Promise.all((await page.locator('.scroll').all()).map((scroll) => scroll.boundingBox()))) {
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    }
    expectInert(seen, url);
    await context.close();
  });

  it('prints the demo fleet on one or two A4 pages: the summary and the failing findings with their evidence', async () => {
    const context = await browser.newContext();
    const { page, seen } = await open(context, demoUrl);
    const pdf = await page.pdf({ format: 'A4', path: new URL('html-report.pdf', ARTIFACTS).pathname });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { count, mediaBoxes } = pdfPages(pdf);
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(2);
    expect(mediaBoxes).toHaveLength(count);
    // A4 is 595.3 × 841.9 points; Chromium rounds to whole pixels at 96 dpi.
    for (const [x, y, width, height] of mediaBoxes) {
      expect([x, y]).toEqual([0, 0]);
      expect(Math.abs(width! - 595.3)).toBeLessThan(1.5);
      expect(Math.abs(height! - 841.9)).toBeLessThan(1.5);
    }

    // What those pages hold: the page as printed.
    await page.emulateMedia({ media: 'print' });
    const failing = demo.findings.findIndex((f) => f.status === 'FAIL');
    await expect(page.locator(`#f-${failing} .remediation`).isVisible()).resolves.toBe(true);
    await expect(page.locator('#summary svg.chart').first().isVisible()).resolves.toBe(true);
    await expect(page.locator('#summary table.failed').isVisible()).resolves.toBe(true);
    for (const hidden of ['#matrix', '#hosts', '#filters', `#f-${demo.findings.findIndex((f) => f.status === 'PASS')}`]) {
      await expect(page.locator(hidden).isVisible(), hidden).resolves.toBe(false);
    }
    const unreached = demo.findings.findIndex((f) => !demo.hosts.find((h) => h.name === f.host)!.reached);
    await expect(page.locator(`#f-${unreached}`).isVisible()).resolves.toBe(false);
    expectInert(seen, demoUrl);
    await context.close();
  });

  it('keeps payloads inert in every field, including the embedded JSON, which reads back exactly', async () => {
    const payload = `</script><script>alert("${XSS}")</script><img src=x onerror="document.title='${XSS}'">\u2028<!--`;
    const everywhere = scanResult(
      [
        finding({
          host: payload,
          cluster: payload,
          reason: payload,
          actual: payload,
          title: payload,
          evidence: [{ source: payload, key: payload, value: payload }],
        }),
      ],
      {
        inventory: payload,
        hosts: [host({ name: payload, cluster: payload, error: payload, reached: false })],
        selection: { limit: payload, check: [payload], hostsLeftOut: 1, rulesLeftOut: [payload] },
        mergedFrom: [{ file: payload, inventory: payload, startedAt: payload, finishedAt: payload, hosts: 1 }],
      },
    );
    everywhere.clusters[0]!.notScanned = [payload];
    const file = join(dir, 'payloads.html');
    await writeFile(file, renderHtml(everywhere));
    const fileUrl = pathToFileURL(file).href;
    const context = await browser.newContext();
    const { page, seen } = await open(context, fileUrl);
    expect(await page.title()).toBe(`fleetbench audit · ${payload} · ${everywhere.startedAt}`);
    expect(await page.locator('script').count()).toBe(2);
    const embedded = await page.locator('#fleetbench-result').textContent();
    expect(JSON.parse(embedded ?? '')).toEqual(JSON.parse(JSON.stringify(everywhere)));
    await page.click('#expand-all');
    expect(await page.locator('#findings-table').innerText()).toContain(`alert("${XSS}")`);
    expect(await page.locator('#coverage').innerText()).toContain(`--limit '</script><script>alert("${XSS}")</script><img src=x onerror="document.title=`);
    expect(await page.locator('#clusters').innerText()).toMatch(
      /1 of 2 hosts scanned; <\/script><script>alert\("fleetbench-xss"\)[\s\S]*? left out by --limit/,
    );
    expectInert(seen, fileUrl);
    expect(await readFile(file, 'utf8')).not.toContain('<script>alert');
    await context.close();
  });
});
