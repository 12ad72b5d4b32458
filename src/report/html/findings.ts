import { STATUSES, STATUS_LABEL, needsAttention, severity } from '../../status.js';
import type { Evidence, Finding, ScanResult } from '../../model.js';
import { waiverNote } from '../finding-notes.js';
import { countStatuses } from '../summary.js';
import { statusBadge } from './badges.js';
import { withInlineCode } from './inline-code.js';
import { html } from './markup.js';
import type { Html } from './markup.js';

// Every finding as a table row rendered here, on the server side, worst first: FAIL, ERROR, WARN,
// then PASS and N/A. The status checkboxes choose what is shown, in the stylesheet alone (CSS
// :has), so they work with JavaScript off too; PASS and N/A start unticked, behind that filter.
// The script adds what needs it: search, sorting (column buttons), a count of the rows shown,
// opening or closing every evidence at once. Those controls are `hidden` until the script shows
// them, so nobody clicks buttons that do nothing.

export function findingAnchor(index: number): string {
  return `f-${index}`;
}

export function findingsSection(result: ScanResult): Html {
  const counts = countStatuses(result.findings);
  const compared = result.baseline !== undefined;
  const reached = new Set(result.hosts.filter((h) => h.reached).map((h) => h.name));
  // Within a status, the findings of hosts that were not reached come last: their reason is the
  // same for every control, and the section above already says it.
  const rows = result.findings
    .map((finding, index) => ({ finding, index, reached: reached.has(finding.host) }))
    .sort((a, b) => severity(b.finding.status) - severity(a.finding.status) || Number(b.reached) - Number(a.reached) || a.index - b.index);
  const sortable = (key: string, label: string) => html`<th><button type="button" class="sort" data-sort="${key}">${label}</button></th>`;
  return html`<section id="findings">
<h2>Findings</h2>
<div id="filters" class="filters">
<span class="group" role="group" aria-label="Statuses shown">${STATUSES.map(
    (s) =>
      html`<label class="chip s-${s}"><input type="checkbox" data-filter-status="${s}"${needsAttention(s) && html` checked`}> ${STATUS_LABEL[s]} <span class="count">${counts[s]}</span></label>`,
  )}</span>
${compared && html`<label><input type="checkbox" id="changed-only"> only new or changed since the baseline</label>`}
<span id="scripted" class="scripted" hidden><input type="search" id="search" placeholder="Search hosts, rules, reasons, evidence" aria-label="Search findings">
<button type="button" id="expand-all">Expand all</button> <button type="button" id="collapse-all">Collapse all</button>
<span class="shown"><span id="shown-count">${result.findings.length}</span> of ${result.findings.length} shown</span></span>
</div>
<p class="print-only">Printed: the statuses the filter shows (FAIL, ERROR, WARN unless changed) on the hosts audited. The HTML file has every finding, host and control.</p>
<table id="findings-table" class="reflow"><thead><tr>${sortable('rank', 'Status')}${compared && sortable('change', 'Change')}${sortable('cluster', 'Cluster')}${sortable(
    'host',
    'Host',
  )}${sortable('control', 'Control')}${sortable('rule', 'Rule')}<th>Reason, evidence and remediation</th></tr></thead>
<tbody>${rows.map(({ finding, index, reached }, order) => row(finding, index, order, reached, compared))}</tbody></table>
</section>`;
}

function row(finding: Finding, index: number, order: number, reached: boolean, compared: boolean): Html {
  // `rank` sorts the worst first on the first click; `order` restores the order rendered here on ties.
  return html`<tr id="${findingAnchor(index)}" data-status="${finding.status}" data-rank="${9 - severity(finding.status)}" data-order="${order}" data-cluster="${
    finding.cluster
  }" data-host="${finding.host}" data-control="${finding.control}" data-rule="${finding.ruleId}" data-change="${finding.change ?? ''}"${!reached && html` data-unreached`}>
<td class="c-status inline">${statusBadge(finding.status)}${finding.waiver && html` <span class="mark waived" title="${waiverNote(finding.waiver)}">waived</span>`}</td>${
    compared && html`<td class="c-change inline">${finding.change && html`<span class="mark change-${finding.change}">${finding.change}</span>`}</td>`
  }<td class="c-cluster inline">${finding.cluster}</td><td class="c-host inline">${finding.host}</td><td class="c-control inline">${finding.control}</td><td class="c-rule"><span class="rule">${
    finding.ruleId
  }</span><br><span class="title">${finding.title}</span></td>
<td class="c-detail"><details><summary>${finding.reason}</summary>${details(finding)}</details></td></tr>`;
}

function details(finding: Finding): Html {
  return html`<div class="detail">
<dl><dt>Expected</dt><dd><code>${finding.expected}</code></dd><dt>Found</dt><dd><code>${finding.actual}</code></dd></dl>
${finding.evidence.length > 0 ? evidenceTable(finding.evidence) : html`<p class="none">No evidence could be collected.</p>`}
<p class="remediation"><strong>Remediation:</strong> ${withInlineCode(finding.remediation)}</p>
${finding.waiver && html`<p class="waiver"><strong>Accepted risk:</strong> ${waiverNote(finding.waiver)}</p>`}
</div>`;
}

function evidenceTable(evidence: readonly Evidence[]): Html {
  return html`<table class="evidence"><thead><tr><th>Where</th><th>Setting</th><th>Value</th></tr></thead><tbody>${evidence.map(
    (e) =>
      html`<tr><td>${e.source}</td><td><code>${e.key ?? ''}</code></td><td>${e.value === null ? html`<em>not set</em>` : html`<pre>${e.value}</pre>`}</td></tr>`,
  )}</tbody></table>`;
}
