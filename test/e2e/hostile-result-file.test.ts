import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { HOSTILE_RESULT_FILE, hostileDocument, PAYLOAD, PAYLOAD_IN_JSON, PAYLOAD_SHOWN, rawControls } from '../support/hostile-result.js';

// `fleetbench report FILE` and `--baseline FILE` read files anyone can write. An attacker who
// hands an auditor a crafted result must not get a clipboard write, a window title, a cleared
// screen or reordered text out of any output or error message of the built CLI. Needs no root.

describe('a hostile saved result file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetbench-hostile-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The hostile document with some of it changed, saved as a file of its own. */
  async function variant(name: string, change: (document: Record<string, unknown>) => void): Promise<string> {
    const document = hostileDocument() as Record<string, unknown>;
    change(document);
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(document));
    return path;
  }

  it.each(['text', 'csv', 'html', 'junit', 'prom'])('is reported as %s with every control character shown, none written', async (format) => {
    const run = await runCli(['report', HOSTILE_RESULT_FILE, '--format', format]);
    // The code scan would give it: an ERROR and an unreachable host, its FAIL waived.
    expect(run.code).toBe(2);
    // CSV alone cannot say what the result leaves out, and says so on stderr, in words of its own.
    expect(run.stderr).toBe(
      format === 'csv'
        ? 'fleetbench: the CSV on stdout: a CSV has no place to say what this result leaves out (interrupted, partial scan, merged from 2 results, not compared with the baseline); the JSON, HTML and text reports say it\n'
        : '',
    );
    // CSV ends its records with CRLF, as RFC 4180 says; a CR anywhere else would be raw.
    expect(rawControls(format === 'csv' ? run.stdout.replaceAll('\r\n', '\n') : run.stdout)).toEqual([]);
    // Prometheus label values escape the backslash of each shown escape once more, as the format wants.
    expect(run.stdout).toContain(format === 'prom' ? PAYLOAD_SHOWN.replaceAll('\\', '\\\\') : PAYLOAD_SHOWN);
  });

  it('shows the fields the text report used to trust escaped too: tool version, benchmark, control, rule id', async () => {
    const { stdout } = await runCli(['report', HOSTILE_RESULT_FILE, '--format', 'text']);
    expect(stdout).toContain(`fleetbench 0.1.0${PAYLOAD_SHOWN} · CIS Kubernetes Benchmark 1.12${PAYLOAD_SHOWN} · `);
    expect(stdout).toMatch(/^FAIL +evil-1[^\n]+ 2\.2[^\n]+ rule[^\n]+ \[new, waived\] reason/m);
    expect(stdout).toContain(`  evil-1${PAYLOAD_SHOWN}  2.2${PAYLOAD_SHOWN} rule${PAYLOAD_SHOWN}  FAIL  waived until 2026-12-31${PAYLOAD_SHOWN}`);
    expect(stdout).toContain(`CHANGES SINCE BASELINE baseline.json${PAYLOAD_SHOWN} (scan of 2026-11-18T10:00:00.000Z${PAYLOAD_SHOWN})`);
    expect(stdout).toContain(`  evil${PAYLOAD_SHOWN}: 2 member(s) (basis${PAYLOAD_SHOWN})`);
  });

  it('says what the file claims it does not cover with every name in it escaped: the limit, the merged files, the hosts left out', async () => {
    const text = (await runCli(['report', HOSTILE_RESULT_FILE, '--format', 'text'])).stdout;
    const limit = `--limit 'evil${PAYLOAD_SHOWN}'`;
    expect(text).toContain(`\nPARTIAL SCAN (this report says nothing about what it left out)\n  ${limit} left out 3 hosts of the inventory\n`);
    expect(text).toContain(
      `\n  part-1.json${PAYLOAD_SHOWN}: inventory inventory${PAYLOAD_SHOWN}, 2 hosts, scanned 2026-11-25T10:00:00.000Z${PAYLOAD_SHOWN}; ${limit} left out 1 host of its inventory;`,
    );
    expect(text).toContain(`\n  1 control only in this scan: rule-now${PAYLOAD_SHOWN}\n`);
    expect(text).toContain(`  evil${PAYLOAD_SHOWN}: 2 member(s) (basis${PAYLOAD_SHOWN}); 2 of 3 hosts scanned; evil-3${PAYLOAD_SHOWN} left out by --limit\n`);

    const html = (await runCli(['report', HOSTILE_RESULT_FILE, '--format', 'html'])).stdout;
    expect(html).toContain(`<li>--limit &#39;evil${PAYLOAD_SHOWN}&#39; left out 3 hosts of the inventory</li>`);
    expect(html).toContain(`<span class="coverage">2 of 3 hosts scanned; evil-3${PAYLOAD_SHOWN} left out by --limit</span>`);

    const junit = (await runCli(['report', HOSTILE_RESULT_FILE, '--format', 'junit'])).stdout;
    expect(junit).toContain(`<property name="partial scan" value="--limit &apos;evil${PAYLOAD_SHOWN}&apos; left out 3 hosts of the inventory"/>`);
  });

  it('is written back as JSON with no raw control character, parsing back to exactly the file', async () => {
    const run = await runCli(['report', HOSTILE_RESULT_FILE, '--format', 'json']);
    expect(run.code).toBe(2);
    expect(rawControls(run.stdout)).toEqual([]);
    expect(run.stdout).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(run.stdout)).toStrictEqual(hostileDocument());
    expect(run.stdout).toContain(`"0.1.0${PAYLOAD_IN_JSON}"`);
  });

  it('is refused with exit 65 and an escaped message when its schema version is unknown', async () => {
    const file = await variant('v2.json', (document) => {
      document.schemaVersion = '2.0';
    });
    const run = await runCli(['report', file]);
    expect(run.code).toBe(65);
    expect(rawControls(run.stderr)).toEqual([]);
    expect(run.stderr).toBe(
      `fleetbench: ${file}: schemaVersion "2.0" (written by fleetbench 0.1.0${PAYLOAD_SHOWN}) is not supported; this fleetbench reads results of schema version 1.x\n`,
    );
  });

  it('is refused with escaped messages when a field is wrong or the file is not JSON at all', async () => {
    const wrong = await variant('wrong.json', (document) => {
      (document.findings as Record<string, unknown>[])[0]!.status = `FAIL${PAYLOAD}`;
      (document.hosts as Record<string, unknown>[])[0]!.privilege = `root${PAYLOAD}`;
    });
    const invalid = await runCli(['report', wrong]);
    expect(invalid.code).toBe(65);
    expect(rawControls(invalid.stderr)).toEqual([]);
    expect(invalid.stderr).toContain('hosts[0].privilege: must be one of root, sudo, unprivileged, got "root\\u001b]52;c;ZWNobyBwd25lZA==\\u0007');
    expect(invalid.stderr).toContain('findings[0].status: must be one of FAIL, ERROR, WARN, PASS, NOT_APPLICABLE, got "FAIL\\u001b]52');

    const garbage = join(dir, 'garbage.json');
    await writeFile(garbage, PAYLOAD);
    const notJson = await runCli(['report', garbage]);
    expect(notJson.code).toBe(65);
    expect(rawControls(notJson.stderr)).toEqual([]);
    expect(notJson.stderr).toMatch(/is not JSON \(Unexpected token '\\e'/);
  });

  it('taints no output of a scan that uses it as --baseline', async () => {
    // Only hosts and rules both scans covered are compared: its first FAIL is put on a host and
    // rule of the demo fleet (which passes it now), so that it is resolved and shown.
    const baseline = await variant('on-demo-host.json', (document) => {
      const [host] = document.hosts as Record<string, unknown>[];
      const [finding] = document.findings as Record<string, unknown>[];
      host!.name = 'lab-cp1';
      finding!.host = 'lab-cp1';
      finding!.ruleId = 'etcd-client-cert-auth';
    });
    const run = await runCli(['demo', '-q', '--format', 'text', '--baseline', baseline]);
    expect(run.code).toBe(0);
    expect(rawControls(run.stdout)).toEqual([]);
    expect(run.stdout).toContain(`CHANGES SINCE BASELINE ${baseline} (scan of 2026-11-25T10:00:00.000Z${PAYLOAD_SHOWN})`);
    expect(run.stdout).toContain(`  resolved: was FAIL  lab-cp1  2.2${PAYLOAD_SHOWN} etcd-client-cert-auth  reason${PAYLOAD_SHOWN}`);
    const saved = join(dir, 'compared.json');
    expect((await runCli(['demo', '-q', '-o', saved, '--baseline', HOSTILE_RESULT_FILE])).code).toBe(0);
    const json = await readFile(saved, 'utf8');
    expect(rawControls(json)).toEqual([]);
    expect((JSON.parse(json) as { baseline: { startedAt: string } }).baseline.startedAt).toBe(`2026-11-25T10:00:00.000Z${PAYLOAD}`);
  });
});
