import { describe, expect, it } from 'vitest';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { PAYLOAD_SHOWN, rawControls, unvalidatedHostileResult } from '../support/hostile-result.js';
import { comparedInPart, finding, host, mergedScans, partialScan, scanResult } from '../support/scan-results.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LABEL = /([a-z_]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;

/**
 * A strict reader of the exposition format as the textfile collector wants it: HELP and TYPE
 * before a family's samples, gauges only, no timestamps, label values with only \\, \" and \n
 * escapes, no series twice (the collector would drop the whole file).
 */
function parseMetrics(text: string): Sample[] {
  expect(text.endsWith('\n')).toBe(true);
  const samples: Sample[] = [];
  const seen = new Set<string>();
  const described = new Map<string, string[]>();
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = /^# (HELP|TYPE) ([a-z_]+) (.+)$/.exec(line);
    if (comment) {
      const [, kind, name, rest] = comment;
      described.set(name!, [...(described.get(name!) ?? []), kind!]);
      if (kind === 'TYPE') expect(rest).toBe('gauge');
      continue;
    }
    // `s`: a label value may hold a LINE SEPARATOR, which the format allows and `.` would not match.
    const sample = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/s.exec(line);
    if (!sample) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const [, name, labelText = '', value] = sample;
    expect(described.get(name!), `HELP and TYPE before ${name}`).toEqual(['HELP', 'TYPE']);
    const labels: Record<string, string> = {};
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < labelText.length) {
      const match = LABEL.exec(labelText);
      if (!match) throw new Error(`bad labels at ${LABEL.lastIndex}: ${labelText}`);
      labels[match[1]!] = match[2]!.replace(/\\([\\"n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const key = `${name}${labelText}`;
    if (seen.has(key)) throw new Error(`duplicate series ${key}`);
    seen.add(key);
    samples.push({ name: name!, labels, value: Number(value) });
  }
  return samples;
}

/** The value of the one series with exactly these labels. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  return samples.find((s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([key, value]) => s.labels[key] === value))
    ?.value;
}

/** A family's values by one of its labels. */
function byLabel(samples: Sample[], name: string, label: string): Record<string, number> {
  return Object.fromEntries(samples.filter((s) => s.name === name).map((s): [string, number] => [s.labels[label]!, s.value]));
}

describe('renderPrometheus', () => {
  const waiver = { justification: 'isolated VLAN', expires: '2026-12-31', source: 'w.yaml:4' };
  const autoTls = { ruleId: 'etcd-no-auto-tls', control: '2.3' };
  const result = scanResult(
    [
      finding({ host: 'cp1', status: 'FAIL' }),
      finding({ host: 'cp1', ...autoTls, status: 'PASS' }),
      finding({ host: 'cp2', status: 'FAIL', waiver }),
      finding({ host: 'cp2', ...autoTls, status: 'WARN' }),
      finding({ host: 'cp3', status: 'FAIL' }),
      finding({ host: 'cp3', ...autoTls, status: 'ERROR' }),
      finding({ host: 'e1', cluster: 'edge', status: 'ERROR' }),
      finding({ host: 'e1', cluster: 'edge', ...autoTls, status: 'ERROR' }),
    ],
    {
      hosts: [
        host({ name: 'cp1' }),
        host({ name: 'cp2', problems: [{ subject: '/etc/etcd.env', reason: 'permission denied' }] }),
        host({ name: 'cp3' }),
        host({ name: 'e1', cluster: 'edge', reached: false, error: 'connection refused', errorKind: 'refused' }),
      ],
      interrupted: true,
      expiredWaivers: [{ rule: '2.3', hosts: 'cluster lab', justification: 'lab only', expires: '2026-01-31', source: 'w.yaml:9' }],
      baseline: { file: 'monday.json', startedAt: '2026-11-24T10:00:00.000Z', counts: { new: 2, changed: 1, unchanged: 5, resolved: 3 }, resolved: [] },
    },
  );
  const text = renderPrometheus(result);
  const samples = parseMetrics(text);

  it('describes the scan: version, benchmark, when it finished, how long it took, whether it was interrupted', () => {
    expect(valueOf(samples, 'fleetbench_info', { version: '0.1.0', benchmark: 'cis-1.12' })).toBe(1);
    expect(valueOf(samples, 'fleetbench_scan_completion_timestamp_seconds')).toBe(1795600802.5);
    expect(valueOf(samples, 'fleetbench_scan_duration_seconds')).toBe(2.5);
    expect(valueOf(samples, 'fleetbench_scan_interrupted')).toBe(1);
    expect(valueOf(samples, 'fleetbench_expired_waivers')).toBe(1);
  });

  it('counts hosts per cluster: all of them, those not audited, and those read only partly', () => {
    const perCluster = (name: string) => byLabel(samples, name, 'cluster');
    expect(perCluster('fleetbench_hosts')).toEqual({ edge: 1, prod: 3 });
    expect(perCluster('fleetbench_hosts_not_audited')).toEqual({ edge: 1, prod: 0 });
    expect(perCluster('fleetbench_hosts_incomplete')).toEqual({ edge: 0, prod: 1 });
  });

  it('counts findings per cluster, control, rule, status and waived, writing the zeros too', () => {
    const findings = samples.filter((s) => s.name === 'fleetbench_findings');
    // 2 clusters × 2 rules, each with 5 statuses not waived and FAIL and WARN waived.
    expect(findings).toHaveLength(4 * 7);
    expect(findings.reduce((sum, s) => sum + s.value, 0)).toBe(result.findings.length);
    const prodCertAuth = findings.filter((s) => s.labels.cluster === 'prod' && s.labels.rule === 'etcd-client-cert-auth');
    expect(prodCertAuth.map((s) => [s.labels.control, s.labels.status, s.labels.waived, s.value])).toEqual([
      ['2.2', 'FAIL', 'false', 2],
      ['2.2', 'FAIL', 'true', 1],
      ['2.2', 'ERROR', 'false', 0],
      ['2.2', 'WARN', 'false', 0],
      ['2.2', 'WARN', 'true', 0],
      ['2.2', 'PASS', 'false', 0],
      ['2.2', 'NOT_APPLICABLE', 'false', 0],
    ]);
    const autoTlsProd = { cluster: 'prod', control: '2.3', rule: 'etcd-no-auto-tls', waived: 'false' };
    expect(valueOf(samples, 'fleetbench_findings', { ...autoTlsProd, status: 'WARN' })).toBe(1);
    expect(valueOf(samples, 'fleetbench_findings', { ...autoTlsProd, status: 'ERROR' })).toBe(1);
    expect(valueOf(samples, 'fleetbench_findings', { ...autoTlsProd, cluster: 'edge', status: 'ERROR' })).toBe(1);
    expect(findings.map((s) => s.labels.cluster)).toEqual([...Array<string>(14).fill('edge'), ...Array<string>(14).fill('prod')]);
  });

  it('says what changed since a baseline, and writes no baseline family without one', () => {
    expect(byLabel(samples, 'fleetbench_baseline_findings', 'change')).toEqual({ new: 2, changed: 1, unchanged: 5, resolved: 3 });
    const plain = renderPrometheus(scanResult([finding()]));
    expect(plain).not.toContain('fleetbench_baseline_findings');
    expect(valueOf(parseMetrics(plain), 'fleetbench_scan_interrupted')).toBe(0);
  });

  it('writes every label value of a hostile result escaped and inert, and the dates it cannot read as NaN', () => {
    const hostile = renderPrometheus(unvalidatedHostileResult());
    expect(rawControls(hostile)).toEqual([]);
    const parsed = parseMetrics(hostile);
    expect(parsed.find((s) => s.name === 'fleetbench_info')!.labels.version).toBe(`0.1.0${PAYLOAD_SHOWN}`);
    expect(parsed.find((s) => s.name === 'fleetbench_hosts')!.labels.cluster).toBe(`evil${PAYLOAD_SHOWN}`);
    expect(parsed.find((s) => s.name === 'fleetbench_findings')!.labels.control).toBe(`2.2${PAYLOAD_SHOWN}`);
    expect(valueOf(parsed, 'fleetbench_scan_completion_timestamp_seconds')).toBeNaN();
  });

  it('escapes quotes, backslashes and newlines, and adds up names that read the same once escaped instead of writing a series twice', () => {
    const names = ['q"uote\nnew\\line', 'a\u001b', 'a\\e', 'b\ud800', 'b\udbff'];
    const tricky = scanResult(names.map((cluster, i) => finding({ host: `h${i}`, cluster })));
    const output = renderPrometheus(tricky);
    expect(output).toContain('fleetbench_hosts{cluster="q\\"uote\\\\nnew\\\\line"} 1\n');
    expect(byLabel(parseMetrics(output), 'fleetbench_hosts', 'cluster')).toEqual({ 'q"uote\\nnew\\line': 1, 'a\\e': 2, 'b\ufffd': 2 });
  });
});

describe('renderPrometheus of a result that covers part of the fleet', () => {
  const metrics = (result: Parameters<typeof renderPrometheus>[0]) => parseMetrics(renderPrometheus(result));

  it('writes zeros for a whole scan, and no comparison family without a baseline', () => {
    const samples = metrics(scanResult([finding()]));
    expect(valueOf(samples, 'fleetbench_hosts_left_out')).toBe(0);
    expect(valueOf(samples, 'fleetbench_rules_left_out')).toBe(0);
    expect(valueOf(samples, 'fleetbench_merged_results')).toBe(0);
    expect(byLabel(samples, 'fleetbench_cluster_hosts_left_out', 'cluster')).toEqual({ prod: 0 });
    expect(samples.some((s) => s.name === 'fleetbench_baseline_not_compared')).toBe(false);
  });

  it('counts the hosts and rules a partial scan left out, and per cluster the hosts --limit left out of it', () => {
    const samples = metrics(partialScan());
    expect(valueOf(samples, 'fleetbench_hosts_left_out')).toBe(12);
    expect(valueOf(samples, 'fleetbench_rules_left_out')).toBe(1);
    expect(byLabel(samples, 'fleetbench_hosts', 'cluster')).toEqual({ prod: 2 });
    expect(byLabel(samples, 'fleetbench_cluster_hosts_left_out', 'cluster')).toEqual({ prod: 2 });
  });

  it('counts the scans of a merged report, the hosts in none of them and the rules one of them left out; NaN when it cannot tell', () => {
    const samples = metrics(mergedScans());
    expect(valueOf(samples, 'fleetbench_merged_results')).toBe(2);
    expect(valueOf(samples, 'fleetbench_hosts_left_out')).toBe(2);
    expect(valueOf(samples, 'fleetbench_rules_left_out')).toBe(2);
    const apart = mergedScans();
    apart.mergedFrom![1]!.inventory = 'other/';
    expect(renderPrometheus(apart)).toMatch(/^fleetbench_hosts_left_out NaN$/m);
  });

  it('counts the hosts and rules only one side of a baseline comparison has', () => {
    const samples = metrics(comparedInPart());
    const notCompared = samples.filter((s) => s.name === 'fleetbench_baseline_not_compared').map((s) => [s.labels.kind, s.labels.only_in, s.value]);
    expect(notCompared).toEqual([
      ['host', 'scan', 1],
      ['host', 'baseline', 2],
      ['rule', 'scan', 0],
      ['rule', 'baseline', 1],
    ]);
  });
});
