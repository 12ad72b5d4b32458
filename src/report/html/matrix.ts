import { STATUS_LABEL, worst } from '../../status.js';
import { compareControls } from '../control-order.js';
import { groupBy } from '../../group-by.js';
import type { Finding, ScanResult } from '../../model.js';
import { findingAnchor } from './findings.js';
import { html } from './markup.js';
import type { Html } from './markup.js';

// Hosts down, controls across: the picture an auditor takes in at a glance. Each cell shows the
// host's verdict for the control (the worst, when a control gives several findings on a host)
// and links to the finding below, where the evidence is.

interface Column {
  ruleId: string;
  control: string;
  title: string;
}

export function matrixSection(result: ScanResult): Html {
  const columns = controlColumns(result.findings);
  const cells = groupBy(result.findings, (finding) => cellKey(finding.host, finding.ruleId));
  const indexOf = new Map(result.findings.map((f, i) => [f, i]));
  const rows = result.hosts.map(
    (host) =>
      html`<tr><th scope="row"><span class="cluster">${host.cluster}</span> ${host.name}</th>${columns.map((column) =>
        cell(cells.get(cellKey(host.name, column.ruleId)) ?? [], indexOf),
      )}</tr>`,
  );
  return html`<section id="matrix">
<h2>Hosts × controls</h2>
<div class="scroll"><table class="matrix"><thead><tr><th>Host</th>${columns.map(
    (c) => html`<th scope="col" title="${c.title}"><span class="control">${c.control}</span><br><span class="rule">${c.ruleId}</span></th>`,
  )}</tr></thead>
<tbody>${rows}</tbody></table></div>
</section>`;
}

function cell(findings: Finding[], indexOf: Map<Finding, number>): Html {
  const first = findings[0];
  if (first === undefined) return html`<td class="empty">–</td>`;
  const status = worst(findings.map((f) => f.status));
  const waived = findings.some((f) => f.status === status && f.waiver);
  const isNew = findings.some((f) => f.change === 'new');
  return html`<td class="s-${status}${waived ? ' waived' : ''}"><a href="#${findingAnchor(indexOf.get(first)!)}" title="${findings
    .map((f) => f.reason)
    .join('\n')}">${STATUS_LABEL[status]}${findings.length > 1 && html` ×${findings.length}`}${waived && html` <abbr title="waived">w</abbr>`}${
    isNew && html` <abbr title="new since the baseline">new</abbr>`
  }</a></td>`;
}

/** One column per rule, in control-number order; fleetbench's own checks (control "-") last. */
function controlColumns(findings: readonly Finding[]): Column[] {
  const byRule = new Map<string, Column>();
  for (const f of findings) if (!byRule.has(f.ruleId)) byRule.set(f.ruleId, { ruleId: f.ruleId, control: f.control, title: f.title });
  return [...byRule.values()].sort((a, b) => compareControls(a.control, b.control) || a.ruleId.localeCompare(b.ruleId));
}

function cellKey(host: string, ruleId: string): string {
  return JSON.stringify([host, ruleId]);
}
