import { STATUSES, STATUS_LABEL } from '../../status.js';
import { groupBy } from '../../group-by.js';
import type { ScanResult } from '../../model.js';
import { clusterCoverage, coverageNotes } from '../coverage.js';
import { countStatuses, hostSummaries, unreadNote } from '../summary.js';
import type { StatusCounts } from '../summary.js';
import { statusBadge } from './badges.js';
import { inventoryLabel } from './inventory-label.js';
import { html } from './markup.js';
import type { Html } from './markup.js';

// What was scanned and the totals (the header), what changed since the baseline, expired
// waivers, and the tables per cluster and per host.

export function header(result: ScanResult): Html {
  const counts = countStatuses(result.findings);
  const waived = result.findings.filter((f) => f.waiver).length;
  const inventory = inventoryLabel(result.inventory);
  return html`<header>
<h1>fleetbench etcd security audit</h1>
<p class="meta">CIS Kubernetes Benchmark ${result.benchmark.replace(/^cis-/, '')} · inventory <code>${inventory.shown}</code>${
    inventory.temporary && ' (from a temporary directory)'
  } · ${result.hosts.length} hosts in ${result.clusters.length} clusters · ${when(result)} ·
fleetbench ${result.tool.version} (result schema ${result.schemaVersion})</p>
${coverageBox(result)}
<p class="totals">${STATUSES.map((s) => html`${statusBadge(s)} ${counts[s]} `)}${waived > 0 && html`· <span class="mark waived">waived</span> ${waived}`}</p>
</header>`;
}

/** What the report does not cover, under the header's first lines, on screen and on paper. */
function coverageBox(result: ScanResult): Html | undefined {
  const notes = coverageNotes(result);
  if (notes.length === 0) return undefined;
  return html`<section id="coverage" class="banner" aria-label="What this report does not cover">${notes.map(
    (note) => html`
<h2>${note.title} <span class="meaning">(${note.meaning})</span></h2>${note.details.length > 0 && html`<ul>${note.details.map((detail) => html`<li>${detail}</li>`)}</ul>`}`,
  )}
</section>`;
}

const ISO_UTC = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?Z$/;

/** `scanned 2026-11-25 10:00:00 UTC in 2.5 s`, read from the ISO times; other text is shown as it is. */
function when({ startedAt, finishedAt }: ScanResult): Html {
  const start = ISO_UTC.exec(startedAt);
  const seconds = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
  if (!start || !ISO_UTC.test(finishedAt) || !(seconds >= 0)) return html`started ${startedAt} · finished ${finishedAt}`;
  return html`scanned <time datetime="${startedAt}">${start[1]} ${start[2]} UTC</time> in ${seconds.toFixed(1)} s`;
}

export function changesSection(result: ScanResult): Html | undefined {
  const baseline = result.baseline;
  if (baseline === undefined) return undefined;
  const { counts } = baseline;
  return html`<section id="changes">
<h2>Changes since the baseline</h2>
<p>Compared with <code>${baseline.file}</code> (scan of ${baseline.startedAt}): <strong>${counts.new}</strong> new,
${counts.changed} changed, ${counts.unchanged} unchanged, <strong>${counts.resolved}</strong> resolved.</p>
${
  baseline.resolved.length > 0 &&
  html`<div class="scroll"><table><caption>Resolved: problems in the baseline that are gone or pass now</caption>
<thead><tr><th>Was</th><th>Cluster</th><th>Host</th><th>Control</th><th>Rule</th><th>Reason then</th></tr></thead>
<tbody>${baseline.resolved.map(
    (f) => html`<tr><td>${statusBadge(f.status)}</td><td>${f.cluster}</td><td>${f.host}</td><td>${f.control}</td><td>${f.ruleId}</td><td>${f.reason}</td></tr>`,
  )}</tbody></table></div>`
}
</section>`;
}

export function expiredWaiversSection(result: ScanResult): Html | undefined {
  const expired = result.expiredWaivers ?? [];
  if (expired.length === 0) return undefined;
  return html`<section id="expired-waivers">
<h2>Expired waivers</h2>
<p>These waivers no longer apply: the findings they covered count again. Renew or remove them.</p>
<div class="scroll"><table><thead><tr><th>Rule</th><th>Scope</th><th>Expired after</th><th>Justification</th><th>Written at</th></tr></thead>
<tbody>${expired.map((w) => html`<tr><td>${w.rule}</td><td>${w.hosts}</td><td>${w.expires}</td><td>${w.justification}</td><td>${w.source}</td></tr>`)}</tbody></table></div>
</section>`;
}

function countCells(counts: StatusCounts): Html {
  return html`${STATUSES.map((s) => html`<td class="num${counts[s] > 0 ? ` has-${s}` : ''}">${counts[s]}</td>`)}`;
}

const COUNT_HEADERS = html`${STATUSES.map((s) => html`<th class="num">${STATUS_LABEL[s]}</th>`)}`;

export function clustersSection(result: ScanResult): Html {
  const findingsOf = groupBy(result.findings, (f) => f.cluster);
  const hostsOf = groupBy(result.hosts, (h) => h.cluster);
  return html`<section id="clusters">
<h2>Clusters</h2>
<div class="scroll"><table><thead><tr><th>Cluster</th><th>Hosts</th><th class="num">etcd members</th><th>How the member count was found</th>${COUNT_HEADERS}<th class="num">Waived</th></tr></thead>
<tbody>${result.clusters.map((cluster) => {
    const findings = findingsOf.get(cluster.name) ?? [];
    const hosts = hostsOf.get(cluster.name)?.length ?? 0;
    const coverage = clusterCoverage(cluster, hosts);
    return html`<tr><th scope="row">${cluster.name}${coverage && html`<span class="coverage">${coverage}</span>`}</th><td class="num">${hosts}</td><td class="num">${cluster.memberCount}</td><td>${cluster.memberCountBasis}</td>${countCells(
      countStatuses(findings),
    )}<td class="num">${findings.filter((f) => f.waiver).length}</td></tr>`;
  })}</tbody></table></div>
</section>`;
}

export function hostsSection(result: ScanResult): Html {
  return html`<section id="hosts">
<h2>Hosts</h2>
<div class="scroll"><table><thead><tr><th>Worst</th><th>Cluster</th><th>Host</th><th>Address</th><th>Privilege</th>${COUNT_HEADERS}<th>Note</th></tr></thead>
<tbody>${hostSummaries(result).map(({ host, counts, worst }) => {
    const note = host.reached ? unreadNote(host) : (host.error ?? 'not reached');
    return html`<tr><td>${statusBadge(worst)}</td><td>${host.cluster}</td><th scope="row">${host.name}</th><td>${host.address}:${host.port}</td><td>${
      host.privilege ?? ''
    }</td>${countCells(counts)}<td>${note}</td></tr>`;
  })}</tbody></table></div>
</section>`;
}
