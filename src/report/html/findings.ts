import { STATUSES, STATUS_LABEL, severity } from '../../status.js';
import type { Evidence, Finding, ScanResult } from '../../model.js';
import { waiverNote } from '../finding-notes.js';
import { countStatuses } from '../summary.js';
import { statusBadge } from './badges.js';
import { html } from './markup.js';
import type { Html } from './markup.js';

// Every finding as a table row rendered here, on the server side: the report reads completely
// with JavaScript off. The script only filters (status buttons, search), sorts (column buttons)
// and opens or closes the evidence, using the data-* attributes written here. The controls are
// `hidden` until the script shows them, so nobody clicks buttons that do nothing.

export function findingAnchor(index: number): string {
  return `f-${index}`;
}

export function findingsSection(result: ScanResult): Html {
  const counts = countStatuses(result.findings);
  const compared = result.baseline !== undefined;
  const sortable = (key: string, label: string) => html`<th><button type="button" class="sort" data-sort="${key}">${label}</button></th>`;
  return html`<section id="findings">
<h2>Findings</h2>
<div id="filters" class="filters" hidden>
<span class="group" role="group" aria-label="Show only these statuses">${STATUSES.map(
    (s) =>
      html`<button type="button" class="chip s-${s}" data-filter-status="${s}" aria-pressed="false">${STATUS_LABEL[s]} <span class="count">${counts[s]}</span></button>`,
  )}</span>
${compared && html`<label><input type="checkbox" id="changed-only"> only new or changed since the baseline</label>`}
<input type="search" id="search" placeholder="Search hosts, rules, reasons, evidence" aria-label="Search findings">
<button type="button" id="expand-all">Expand all</button> <button type="button" id="collapse-all">Collapse all</button>
<span class="shown"><span id="shown-count">${result.findings.length}</span> of ${result.findings.length} shown</span>
</div>
<table id="findings-table"><thead><tr>${sortable('rank', 'Status')}${compared && sortable('change', 'Change')}${sortable('cluster', 'Cluster')}${sortable(
    'host',
    'Host',
  )}${sortable('control', 'Control')}${sortable('rule', 'Rule')}<th>Reason, evidence and remediation</th></tr></thead>
<tbody>${result.findings.map((finding, index) => row(finding, index, compared))}</tbody></table>
</section>`;
}

function row(finding: Finding, index: number, compared: boolean): Html {
  // `rank` sorts the worst first on the first click; `order` restores the scan's order on ties.
  return html`<tr id="${findingAnchor(index)}" data-status="${finding.status}" data-rank="${9 - severity(finding.status)}" data-order="${index}" data-cluster="${
    finding.cluster
  }" data-host="${finding.host}" data-control="${finding.control}" data-rule="${finding.ruleId}" data-change="${finding.change ?? ''}">
<td>${statusBadge(finding.status)}${finding.waiver && html` <span class="mark waived" title="${waiverNote(finding.waiver)}">waived</span>`}</td>${
    compared && html`<td>${finding.change && html`<span class="mark change-${finding.change}">${finding.change}</span>`}</td>`
  }<td>${finding.cluster}</td><td>${finding.host}</td><td>${finding.control}</td><td><span class="rule">${finding.ruleId}</span><br><span class="title">${
    finding.title
  }</span></td>
<td><details><summary>${finding.reason}</summary>${details(finding)}</details></td></tr>`;
}

function details(finding: Finding): Html {
  return html`<div class="detail">
<dl><dt>Expected</dt><dd><code>${finding.expected}</code></dd><dt>Found</dt><dd><code>${finding.actual}</code></dd></dl>
${finding.evidence.length > 0 ? evidenceTable(finding.evidence) : html`<p class="none">No evidence could be collected.</p>`}
<p class="remediation"><strong>Remediation:</strong> ${finding.remediation}</p>
${finding.waiver && html`<p class="waiver"><strong>Accepted risk:</strong> ${waiverNote(finding.waiver)}</p>`}
</div>`;
}

function evidenceTable(evidence: readonly Evidence[]): Html {
  return html`<table class="evidence"><thead><tr><th>Where</th><th>Setting</th><th>Value</th></tr></thead><tbody>${evidence.map(
    (e) =>
      html`<tr><td>${e.source}</td><td><code>${e.key ?? ''}</code></td><td>${e.value === null ? html`<em>not set</em>` : html`<pre>${e.value}</pre>`}</td></tr>`,
  )}</tbody></table>`;
}
