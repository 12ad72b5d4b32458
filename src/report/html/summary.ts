import { STATUSES, needsAttention, severity, worst } from '../../status.js';
import { groupBy } from '../../group-by.js';
import { compareControls } from '../control-order.js';
import type { Finding, HostOutcome, ScanResult, Status } from '../../model.js';
import { clusterCoverage } from '../coverage.js';
import { countStatuses, hostSummaries, unreadNote } from '../summary.js';
import type { HostSummary } from '../summary.js';
import { statusBadge } from './badges.js';
import { BAR_ORDER, shareChart } from './chart.js';
import type { ControlShare } from './chart.js';
import { findingAnchor } from './findings.js';
import { html } from './markup.js';
import type { Html } from './markup.js';
import { controlsOf, findingsByHostAndRule, verdictOf } from './verdicts.js';
import type { Control } from './verdicts.js';

// The top of the report, for the reader who reads nothing else: which hosts could not be audited
// and why, then per cluster and per control the share of hosts passing, then what failed.

/** The hosts the scan could not audit, or audited only in part: first, so that nobody misses them. */
export function notAuditedSection(result: ScanResult): Html | undefined {
  const errorsOf = groupBy(
    result.findings.filter((f) => f.status === 'ERROR'),
    (f) => f.host,
  );
  const hosts = result.hosts.filter((h) => !h.reached || errorsOf.has(h.name));
  if (hosts.length === 0) return undefined;
  const unreached = hosts.filter((h) => !h.reached).length;
  const partly = hosts.length - unreached;
  const heading = [unreached > 0 && `${hostCount(unreached)} could not be audited`, partly > 0 && `${hostCount(partly)} could be audited only in part`]
    .filter(Boolean)
    .join('; ');
  return html`<section id="not-audited" class="alert">
<h2>${heading}</h2>
<p>Their controls are ERROR, not PASS: nothing is known about what could not be read.</p>
<table class="reflow"><thead><tr><th>Cluster</th><th>Host</th><th>Address</th><th>Why</th></tr></thead>
<tbody>${hosts.map(
    (h) =>
      html`<tr><td class="inline">${h.cluster}</td><th scope="row" class="inline">${h.name}</th><td class="inline">${h.address}:${h.port}</td><td>${h.reached ? partlyNote(h, errorsOf.get(h.name) ?? []) : (h.error ?? 'not reached')}</td></tr>`,
  )}</tbody></table>
</section>`;
}

function partlyNote(host: HostOutcome, errors: readonly Finding[]): string {
  const controls = [...new Set(errors.map((f) => f.control))].sort(compareControls);
  const note = unreadNote(host);
  return `${controls.length === 1 ? 'control' : 'controls'} ${controls.join(', ')} could not be evaluated${note ? `: ${note}` : ` (${errors[0]!.reason})`}`;
}

function hostCount(n: number): string {
  return n === 1 ? '1 host' : `${n} hosts`;
}

export function summarySection(result: ScanResult): Html {
  const summaries = hostSummaries(result);
  const cellFindings = findingsByHostAndRule(result.findings);
  const controls = controlsOf(result.findings);
  const hostsOf = groupBy(summaries, (s) => s.host.cluster);
  return html`<section id="summary">
<h2>Compliance summary</h2>
${headline(summaries)}
<p class="legend" aria-hidden="true">${BAR_ORDER.map(
    (s) => html`<span class="key s-${s}"></span>${legendText[s]} `,
  )}· the figure at the right: hosts passing, of those the control applies to</p>
<div class="charts">${result.clusters.map((cluster) => {
    const hosts = hostsOf.get(cluster.name) ?? [];
    return clusterFigure(cluster.name, hosts, controlShares(hosts, controls, cellFindings), clusterCoverage(cluster, hosts.length));
  })}</div>
${failedTable(result)}
</section>`;
}

/** Per control, the hosts of a cluster by their verdict; controls that looked at none of them are left out. */
function controlShares(hosts: readonly HostSummary[], controls: readonly Control[], cellFindings: (host: string, ruleId: string) => Finding[]): ControlShare[] {
  return controls
    .map((control): ControlShare => {
      const counts = countStatuses([]);
      for (const { host } of hosts) {
        const verdict = verdictOf(cellFindings(host.name, control.ruleId));
        if (verdict) counts[verdict.status] += 1;
      }
      return { control, counts };
    })
    .filter(({ counts }) => STATUSES.some((s) => counts[s] > 0));
}

const legendText: Record<Status, string> = { PASS: 'pass', WARN: 'to look at', FAIL: 'fail', ERROR: 'not evaluated', NOT_APPLICABLE: 'not applicable' };

/** A host passes when every control that applies to it passed (no FAIL, WARN or ERROR). */
function passes(summary: HostSummary): boolean {
  return summary.host.reached && !needsAttention(summary.worst);
}

function headline(summaries: readonly HostSummary[]): Html {
  const count = (test: (s: HostSummary) => boolean) => summaries.filter(test).length;
  const worstIs = (status: Status) => (s: HostSummary) => s.host.reached && s.worst === status;
  const parts = [
    [count(worstIs('FAIL')), 'fail at least one control', 'FAIL'],
    [count(worstIs('ERROR')), 'could be audited only in part', 'ERROR'],
    [count(worstIs('WARN')), 'need a look (WARN)', 'WARN'],
    [count((s) => !s.host.reached), 'could not be audited', 'ERROR'],
  ] as const;
  const passing = count(passes);
  return html`<p class="headline"><strong class="${passing > 0 ? 's-PASS' : ''}">${passing} of ${hostCount(summaries.length)}</strong> pass every control${parts
    .filter(([n]) => n > 0)
    .map(([n, text, status]) => html`; <strong class="s-${status}">${n}</strong> ${text}`)}.</p>`;
}

function clusterFigure(name: string, hosts: readonly HostSummary[], shares: readonly ControlShare[], coverage: string | undefined): Html {
  const reached = hosts.filter((s) => s.host.reached).length;
  const passing = hosts.filter(passes).length;
  const verdict = reached === 0 ? 'ERROR' : passing === hosts.length ? 'PASS' : worst(hosts.map((s) => s.worst));
  return html`<figure class="cluster">
<figcaption><span class="name">${name}</span> <span class="verdict s-${verdict}">${
    reached === 0 ? `not audited: no host reached` : `${passing} of ${hostCount(hosts.length)} pass every control`
  }</span>${coverage && html` <span class="coverage">${coverage}</span>`}</figcaption>
${reached > 0 && shareChart(name, shares)}
</figure>`;
}

/** What failed or needs a look, control by control, with the hosts (audited ones: the others are listed above). */
function failedTable(result: ScanResult): Html {
  const reached = new Set(result.hosts.filter((h) => h.reached).map((h) => h.name));
  const indexOf = new Map(result.findings.map((f, i) => [f, i]));
  const groups = [
    ...groupBy(
      result.findings.filter((f) => needsAttention(f.status) && reached.has(f.host)),
      (f) => `${f.status} ${f.ruleId}`,
    ).values(),
  ].sort((a, b) => severity(b[0]!.status) - severity(a[0]!.status) || b.length - a.length || compareControls(a[0]!.control, b[0]!.control));
  if (groups.length === 0)
    return html`<h3>What failed</h3>
<p>Nothing: every control passed or did not apply on the hosts that were audited.</p>`;
  return html`<h3>What failed or needs a look</h3>
<table class="failed reflow"><thead><tr><th>Status</th><th>Control</th><th>What the benchmark asks</th><th>Hosts</th></tr></thead>
<tbody>${groups.map((findings) => {
    const first = findings[0]!;
    const byCluster = [...groupBy(findings, (f) => f.cluster)].map(
      ([cluster, list]) =>
        html`<span class="cluster">${cluster}:</span> ${list.map(
          (f, i) =>
            html`${i > 0 && ', '}<a href="#${findingAnchor(indexOf.get(f)!)}">${f.host}</a>${f.waiver && html` <span class="mark waived">waived</span>`}`,
        )}`,
    );
    return html`<tr><td class="inline">${statusBadge(first.status)}</td><td class="inline">${first.control}</td><td>${first.title} <span class="rule">${first.ruleId}</span></td><td>${byCluster.map(
      (part, i) => html`${i > 0 && html`<br>`}${part}`,
    )}</td></tr>`;
  })}</tbody></table>`;
}
