import { STATUSES } from '../status.js';
import type { ScanResult, Status } from '../model.js';
import { compareControls } from './control-order.js';
import { hostsLeftOut, rulesLeftOut } from './coverage.js';
import { safeLine } from './terminal-text.js';

// Metrics for node_exporter's textfile collector, for cron runs (`-o .../textfile/fleetbench.prom`):
// Prometheus text exposition format 0.0.4, every metric a gauge with its HELP and TYPE, and no
// timestamps (the collector refuses them). Labels are bounded: cluster, control, rule, status and
// whether it is waived, never a host or a finding's text, so a fleet of any size makes a few series
// per cluster and rule. Zero counts are written too: `== 0` and rates need the series to exist.
//
// Label values come from inventories, hosts and saved result files: hostile. Control characters are
// shown as escapes (`\e`, as in every other report, so that `cat` of the file cannot act on a
// terminal), lone surrogates become U+FFFD (as UTF-8 would write them), then backslash and double
// quote are escaped as the format says. Series are grouped by the values as written, so two names
// that read the same once escaped add up in one series instead of making a duplicate, which would
// make the collector drop the whole file.

interface Series {
  labels: [string, string][];
  value: number;
}

interface Family {
  name: string;
  help: string;
  series: Series[];
}

/** FAIL and WARN are the statuses a waiver accepts: their waived series are written even when zero. */
const WAIVABLE: readonly Status[] = ['FAIL', 'WARN'];

export function renderPrometheus(result: ScanResult): string {
  const started = Date.parse(result.startedAt);
  const finished = Date.parse(result.finishedAt);
  const families: Family[] = [
    {
      name: 'fleetbench_info',
      help: 'The fleetbench version and CIS benchmark of the last scan (always 1).',
      series: [{ labels: [label('version', result.tool.version), label('benchmark', result.benchmark)], value: 1 }],
    },
    {
      name: 'fleetbench_scan_completion_timestamp_seconds',
      help: 'When the last scan finished, in seconds since the Unix epoch.',
      series: [one(finished / 1000)],
    },
    { name: 'fleetbench_scan_duration_seconds', help: 'How long the last scan took.', series: [one((finished - started) / 1000)] },
    {
      name: 'fleetbench_scan_interrupted',
      help: '1 when the last scan was interrupted (SIGINT, SIGTERM): the hosts it did not finish are not audited.',
      series: [one(result.interrupted ? 1 : 0)],
    },
    ...hostFamilies(result),
    {
      name: 'fleetbench_hosts_left_out',
      help: 'Hosts of the inventory the report does not cover (--limit; of a merged report, in none of its scans): NaN when a merged report cannot tell.',
      series: [one(hostsLeftOut(result) ?? NaN)],
    },
    {
      name: 'fleetbench_rules_left_out',
      help: 'Rules --check or --skip left out of the scan (of a merged report: of at least one of its scans).',
      series: [one(rulesLeftOut(result).length)],
    },
    {
      name: 'fleetbench_merged_results',
      help: 'Scan results the report was merged from (fleetbench report a.json b.json); 0 for a single scan.',
      series: [one(result.mergedFrom?.length ?? 0)],
    },
    {
      name: 'fleetbench_findings',
      help: 'Findings (one per host and control) by cluster, control, rule and status; waived="true" for accepted risks, which do not fail the run.',
      series: findingSeries(result),
    },
    {
      name: 'fleetbench_expired_waivers',
      help: 'Waivers that expired and no longer apply: renew or remove them.',
      series: [one(result.expiredWaivers?.length ?? 0)],
    },
  ];
  if (result.baseline) {
    const { counts } = result.baseline;
    families.push({
      name: 'fleetbench_baseline_findings',
      help: 'Findings compared with the baseline result (--baseline): new, changed, unchanged, and resolved since.',
      series: (['new', 'changed', 'unchanged', 'resolved'] as const).map((change) => ({ labels: [label('change', change)], value: counts[change] })),
    });
    const gaps = result.baseline.notCompared;
    const only = (kind: string, where: string, names: readonly string[] | undefined): Series => ({
      labels: [label('kind', kind), label('only_in', where)],
      value: names?.length ?? 0,
    });
    families.push({
      name: 'fleetbench_baseline_not_compared',
      help: 'Hosts and rules only one of the scan and the baseline covered: not compared, their findings neither new nor resolved.',
      series: [
        only('host', 'scan', gaps?.hostsOnlyNow),
        only('host', 'baseline', gaps?.hostsOnlyBefore),
        only('rule', 'scan', gaps?.rulesOnlyNow),
        only('rule', 'baseline', gaps?.rulesOnlyBefore),
      ],
    });
  }
  return families.flatMap(familyLines).join('\n') + '\n';
}

interface HostCounts {
  hosts: number;
  notAudited: number;
  incomplete: number;
  leftOut: number;
}

function hostFamilies(result: ScanResult): Family[] {
  const clusters = new Map<string, HostCounts>();
  const entry = (cluster: string) => {
    const key = labelValue(cluster);
    const found = clusters.get(key) ?? { hosts: 0, notAudited: 0, incomplete: 0, leftOut: 0 };
    clusters.set(key, found);
    return found;
  };
  for (const cluster of result.clusters) entry(cluster.name).leftOut += cluster.notScanned?.length ?? 0;
  for (const host of result.hosts) {
    const counts = entry(host.cluster);
    counts.hosts += 1;
    if (!host.reached) counts.notAudited += 1;
    else if (host.problems.length > 0) counts.incomplete += 1;
  }
  const sorted = [...clusters].sort(([a], [b]) => a.localeCompare(b));
  const perCluster = (pick: (counts: HostCounts) => number) =>
    sorted.map(([cluster, counts]): Series => ({ labels: [['cluster', cluster]], value: pick(counts) }));
  return [
    { name: 'fleetbench_hosts', help: 'Hosts scanned, by cluster (with --limit, those it selected).', series: perCluster((c) => c.hosts) },
    {
      name: 'fleetbench_cluster_hosts_left_out',
      help: "Hosts of a cluster scanned in part that --limit left out: not scanned, though the cluster's facts count them.",
      series: perCluster((c) => c.leftOut),
    },
    {
      name: 'fleetbench_hosts_not_audited',
      help: 'Hosts that could not be audited (unreachable, not scanned, or the probe failed): every control of theirs is ERROR.',
      series: perCluster((c) => c.notAudited),
    },
    {
      name: 'fleetbench_hosts_incomplete',
      help: 'Hosts audited whose probe could not read everything it reads (their ERROR findings say what).',
      series: perCluster((c) => c.incomplete),
    },
  ];
}

interface FindingCount {
  /** Label values as written (see labelValue). */
  cluster: string;
  control: string;
  rule: string;
  status: Status;
  waived: boolean;
  value: number;
}

/** One series per cluster, control, rule, status and waived, every status written for each rule found in a cluster. */
function findingSeries(result: ScanResult): Series[] {
  const counts = new Map<string, FindingCount>();
  const add = (cluster: string, control: string, rule: string, status: Status, waived: boolean, value: number) => {
    const count = { cluster: labelValue(cluster), control: labelValue(control), rule: labelValue(rule), status, waived, value };
    const key = JSON.stringify([count.cluster, count.control, count.rule, status, waived]);
    const found = counts.get(key);
    if (found) found.value += value;
    else counts.set(key, count);
  };
  for (const f of result.findings) {
    for (const status of STATUSES) add(f.cluster, f.control, f.ruleId, status, false, 0);
    for (const status of WAIVABLE) add(f.cluster, f.control, f.ruleId, status, true, 0);
    add(f.cluster, f.control, f.ruleId, f.status, f.waiver !== undefined, 1);
  }
  return [...counts.values()]
    .sort(
      (a, b) =>
        a.cluster.localeCompare(b.cluster) ||
        compareControls(a.control, b.control) ||
        a.rule.localeCompare(b.rule) ||
        STATUSES.indexOf(a.status) - STATUSES.indexOf(b.status) ||
        Number(a.waived) - Number(b.waived),
    )
    .map(({ cluster, control, rule, status, waived, value }) => ({
      labels: [['cluster', cluster], ['control', control], ['rule', rule], label('status', status), ['waived', String(waived)]],
      value,
    }));
}

function familyLines({ name, help, series }: Family): string[] {
  if (series.length === 0) return [];
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...series.map(({ labels, value }) => {
      const set = labels.length === 0 ? '' : `{${labels.map(([key, v]) => `${key}="${v}"`).join(',')}}`;
      return `${name}${set} ${sample(value)}`;
    }),
  ];
}

function one(value: number): Series {
  return { labels: [], value };
}

function label(name: string, value: string): [string, string] {
  return [name, labelValue(value)];
}

/** A label value as the exposition format wants it, inert on a terminal: see the top of this file. */
function labelValue(value: string): string {
  return safeLine(value.replace(/[\ud800-\udfff]/gu, '\ufffd'))
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"');
}

/** Go's float syntax, which Prometheus parses: NaN and ±Inf spelled its way (a hostile file's dates are NaN). */
function sample(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}
