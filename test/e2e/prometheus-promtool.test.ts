import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { HOSTILE_RESULT_FILE } from '../support/hostile-result.js';

// The Prometheus output checked by Prometheus's own tool: `promtool check metrics` parses the
// text exposition format and lints it (names, units, HELP). Debian's `prometheus` package has it;
// .ci/run installs it. Missing promtool skips this file on a developer's machine and fails it in
// CI (FLEETBENCH_CI=1).

const PROMTOOL = 'promtool';
const promtoolAvailable = spawnSync(PROMTOOL, ['--version']).status === 0;
const SAVED = fileURLToPath(new URL('../../fixtures/results/tui-fleet.json', import.meta.url));

if (!promtoolAvailable && process.env.FLEETBENCH_CI === '1') {
  it('has promtool to check the Prometheus output', () => {
    throw new Error('promtool is not installed, and FLEETBENCH_CI=1 requires this test to run: install it (e.g. apt-get install prometheus)');
  });
}

/** promtool's verdict on a metrics file: its exit status and everything it said. */
function promtool(metrics: string): { status: number | null; said: string } {
  const run = spawnSync(PROMTOOL, ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
  return { status: run.status, said: `${run.stdout}${run.stderr}` };
}

describe.skipIf(!promtoolAvailable)(`the Prometheus output under promtool check metrics${promtoolAvailable ? '' : ' (skipped: no promtool on PATH)'}`, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetbench-prom-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts what a scan writes with -o FILE.prom, written whole and readable by node_exporter', async () => {
    const file = join(dir, 'fleet.prom');
    const run = await runCli(['demo', '-q', '-o', file]);
    expect(run.code).toBe(0);
    const metrics = await readFile(file, 'utf8');
    expect(metrics).toMatch(/^fleetbench_hosts_not_audited\{cluster="[^"]+"\} 1$/m);
    expect(promtool(metrics)).toEqual({ status: 0, said: '' });
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    expect(await readdir(dir)).toEqual(['fleet.prom']);
  });

  it('accepts what a scan --limit and --skip narrowed writes, with the hosts and rules it left out', async () => {
    const run = await runCli(['demo', '-q', '--limit', 'all:!east-cp3', '--skip', '2.6', '--format', 'prom']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\nfleetbench_hosts_left_out 1\n');
    expect(run.stdout).toContain('\nfleetbench_rules_left_out 1\n');
    expect(run.stdout).toContain('\nfleetbench_cluster_hosts_left_out{cluster="prod-east"} 1\n');
    expect(promtool(run.stdout)).toEqual({ status: 0, said: '' });
  });

  it('accepts a saved result written as --format prom', async () => {
    const run = await runCli(['report', SAVED, '--format', 'prom']);
    expect(run.code).toBe(1); // the exit code the scan had: the saved fleet has FAILs
    expect(run.stdout).toContain('fleetbench_findings{cluster="legacy",control="2.2",rule="etcd-client-cert-auth",status="ERROR",waived="false"} 1\n');
    expect(promtool(run.stdout)).toEqual({ status: 0, said: '' });
  });

  it('accepts the metrics of a hostile result file: its label values escaped, its unreadable dates and unknown counts NaN', async () => {
    const run = await runCli(['report', HOSTILE_RESULT_FILE, '--format', 'prom']);
    expect(run.code).toBe(2); // ERRORs and no FAIL, as the scan would exit
    expect(run.stdout).toContain('fleetbench_scan_duration_seconds NaN\n');
    // Two scans of different inventories, one --limit'ed: how many hosts none of them covers is unknown.
    expect(run.stdout).toContain('\nfleetbench_hosts_left_out NaN\n');
    expect(run.stdout).toContain('\nfleetbench_merged_results 2\n');
    expect(run.stdout).toContain('\nfleetbench_baseline_not_compared{kind="host",only_in="baseline"} 1\n');
    expect(promtool(run.stdout)).toEqual({ status: 0, said: '' });
  });

  it('is refused by promtool when the format is broken, so the checks above mean something', () => {
    const broken = '# HELP fleetbench_hosts Hosts.\n# TYPE fleetbench_hosts gauge\nfleetbench_hosts{cluster="a\\e"} 1\n';
    expect(promtool(broken).status).not.toBe(0);
  });
});
