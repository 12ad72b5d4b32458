import { STATUS_LABEL } from '../../status.js';
import type { Finding, ScanResult } from '../../model.js';
import { findingAnchor } from './findings.js';
import { html } from './markup.js';
import type { Html } from './markup.js';
import { controlsOf, findingsByHostAndRule, verdictOf } from './verdicts.js';

// Hosts down, controls across: every verdict in one grid, for the auditor who wants the detail
// behind the summary chart. Each cell links to the finding below, where the evidence is.

export function matrixSection(result: ScanResult): Html {
  const columns = controlsOf(result.findings);
  const cellFindings = findingsByHostAndRule(result.findings);
  const indexOf = new Map(result.findings.map((f, i) => [f, i]));
  const rows = result.hosts.map(
    (host) =>
      html`<tr><th scope="row"><span class="cluster">${host.cluster}</span> ${host.name}</th>${columns.map((column) =>
        cell(cellFindings(host.name, column.ruleId), indexOf),
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
  const verdict = verdictOf(findings);
  if (verdict === undefined) return html`<td class="empty">–</td>`;
  const { status, waived } = verdict;
  const isNew = findings.some((f) => f.change === 'new');
  return html`<td class="s-${status}${waived ? ' waived' : ''}"><a href="#${findingAnchor(indexOf.get(findings[0]!)!)}" title="${findings
    .map((f) => f.reason)
    .join('\n')}">${STATUS_LABEL[status]}${findings.length > 1 && html` ×${findings.length}`}${waived && html` <abbr title="waived">w</abbr>`}${
    isNew && html` <abbr title="new since the baseline">new</abbr>`
  }</a></td>`;
}
