import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model.js';
import { runCli } from '../support/cli.js';

const SAVED = fileURLToPath(new URL('../../fixtures/results/tui-fleet.json', import.meta.url));

describe('fleetbench report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetbench-report-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the plain report of a saved result when stdout is not a terminal, host text escaped', async () => {
    const run = await runCli(['report', SAVED]);
    // The code scan gave it: a FAIL.
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {4}staging {2}stage-1 {3}10\.0\.2\.11:22 /m);
    expect(run.stdout).toMatch(/^TOTAL {2}13 PASS · 4 FAIL · 3 WARN · 0 N\/A · 3 ERROR \(3 ERROR on the host not audited\)$/m);
    expect(run.stdout).toContain('\\e[2J\\e[31mPWNED');
    expect(run.stdout).not.toMatch(/\u001b/);
  });

  it('prints it back as JSON with --format json', async () => {
    const run = await runCli(['report', SAVED, '--format', 'json']);
    expect((JSON.parse(run.stdout) as ScanResult).findings).toHaveLength(23);
  });

  it('writes the other formats of scan with --format csv, html or junit', async () => {
    const csv = await runCli(['report', SAVED, '--format', 'csv']);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'cluster,host,address,control,rule id,title,status,reason,expected,actual,evidence,remediation,benchmark,scanned at',
    );
    const html = await runCli(['report', SAVED, '--format', 'html']);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
    const junit = await runCli(['report', SAVED, '--format', 'junit']);
    expect(junit.stdout).toMatch(/<testsuites name="fleetbench cis-1\.12" tests="23" failures="4" errors="3"/);
  });

  it('says on stderr that a CSV cannot tell what a partial result leaves out, and nothing of it for a whole one', async () => {
    const document = JSON.parse(await readFile(SAVED, 'utf8')) as ScanResult;
    document.selection = { limit: 'prod', hostsLeftOut: 4, rulesLeftOut: [] };
    const partial = join(dir, 'partial.json');
    await writeFile(partial, JSON.stringify(document));
    const csv = join(dir, 'partial.csv');
    const run = await runCli(['report', partial, '-o', csv]);
    expect(run.stderr).toBe(
      `fleetbench: wrote ${csv}\nfleetbench: ${csv}: a CSV has no place to say what this result leaves out (partial scan); the JSON, HTML and text reports say it\n`,
    );
    expect((await runCli(['report', partial, '-q', '-o', csv])).stderr).toBe('');
    expect((await runCli(['report', SAVED, '--format', 'csv'])).stderr).toBe('');
  });

  it('exits 65 with what is wrong when the file is not a fleetbench result', async () => {
    const inventory = join(dir, 'inventory.json');
    await writeFile(inventory, '{"clusters": {}}');
    const notResult = await runCli(['report', inventory]);
    expect(notResult.code).toBe(65);
    expect(notResult.stderr).toBe(
      `fleetbench: ${inventory} is not a fleetbench result: it has no schemaVersion; expected a file written by fleetbench --format json or -o FILE.json\n`,
    );
    const missing = await runCli(['report', join(dir, 'nope.json')]);
    expect(missing.code).toBe(65);
    expect(missing.stderr).toMatch(/^fleetbench: cannot read .*nope\.json: ENOENT/);
  });

  it('exits 64 without a file', async () => {
    const run = await runCli(['report']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^fleetbench: report needs a result file: fleetbench report RESULT\.json\.\.\. \[options\]\n/);
  });
});
