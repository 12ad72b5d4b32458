import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/demo/fleet-file.js';
import type { ScanResult } from '../../src/model.js';
import { renderHtml } from '../../src/report/html.js';
import { scanMembers } from '../support/fleet.js';
import { finding, host, scanResult } from '../support/scan-results.js';

// The HTML report in a real browser: Debian's chromium, driven by playwright-core (which never
// downloads a browser of its own). Missing chromium skips this file on a developer's machine and
// fails it in CI (FLEETBENCH_CI=1), where .ci/run installs it.

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

describe.skipIf(!existsSync(CHROMIUM) && process.env.FLEETBENCH_CI !== '1')('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let result: ScanResult;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (CI requires it)`);
    const hostile = (await loadFleet('hostile')).filter((m) => m.cluster === 'hostile');
    result = (await scanMembers([...(await loadFleet('demo')), ...hostile])).result;
    dir = await mkdtemp(join(tmpdir(), 'fleetbench-html-'));
    const file = join(dir, 'report.html');
    await writeFile(file, renderHtml(result));
    url = pathToFileURL(file).href;
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
    expect(await page.title()).toBe(`fleetbench audit · ${result.inventory} · ${result.startedAt}`);
    expect(await page.title()).not.toContain(XSS);
    await expect(page.locator('#filters').isVisible()).resolves.toBe(true);
    expect(await page.locator('img').count()).toBe(0);
    const hostileRow = page.locator('#findings-table tbody tr', { hasText: `onerror="document.title='${XSS}'"` }).first();
    await expect(hostileRow.getAttribute('data-host')).resolves.toBe('hostile-cp1');
    expect(await page.locator('#findings-table').innerText()).toContain('\\e[2J\\e[31mPWNED');

    await mkdir(ARTIFACTS, { recursive: true });
    const png = await page.screenshot({ path: new URL('html-report.png', ARTIFACTS).pathname, fullPage: true });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(1400);
    expect(png.readUInt32BE(20)).toBeGreaterThan(2000);
    expect(png.length).toBeGreaterThan(50_000);
    expectInert(seen, url);
    await context.close();
  });

  it('filters by status and search, sorts, and opens the evidence', async () => {
    const context = await browser.newContext();
    const { page, seen } = await open(context, url);
    const total = result.findings.length;
    await expect(visibleRows(page).count()).resolves.toBe(total);

    await page.click('[data-filter-status="FAIL"]');
    const failing = result.findings.filter((f) => f.status === 'FAIL').length;
    expect(failing).toBeGreaterThan(0);
    expect(await visibleData(page, 'status')).toEqual(Array(failing).fill('FAIL'));
    expect(await page.locator('#shown-count').innerText()).toBe(String(failing));

    await page.click('[data-filter-status="ERROR"]');
    const failOrError = result.findings.filter((f) => f.status === 'FAIL' || f.status === 'ERROR').length;
    await expect(visibleRows(page).count()).resolves.toBe(failOrError);
    await page.click('[data-filter-status="FAIL"]');
    await page.click('[data-filter-status="ERROR"]');

    await page.fill('#search', 'stage-node1 auto-tls');
    const hosts = await visibleData(page, 'host');
    const rules = await visibleData(page, 'rule');
    expect(hosts.length).toBeGreaterThan(0);
    expect(hosts.length).toBeLessThan(total);
    expect(new Set(hosts)).toEqual(new Set(['stage-node1']));
    for (const rule of rules) expect(rule).toMatch(/auto-tls/);
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

  it('reads completely with JavaScript off: every finding shown, no dead controls', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const { page } = await open(context, url);
    await expect(visibleRows(page).count()).resolves.toBe(result.findings.length);
    await expect(page.locator('#filters').isVisible()).resolves.toBe(false);
    await expect(page.locator('#matrix tbody tr').count()).resolves.toBe(result.hosts.length);
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
      },
    );
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
    expectInert(seen, fileUrl);
    expect(await readFile(file, 'utf8')).not.toContain('<script>alert');
    await context.close();
  });
});
