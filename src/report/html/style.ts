import { STATUSES } from '../../status.js';

// The report's only stylesheet, inlined and allowed by its hash in the Content-Security-Policy.
// No style="" attributes anywhere: the policy would block them (the chart's SVG is colored by
// classes too). System fonts only: the report must not fetch anything.
//
// The screen, at any width: below 760 px the tables of class `reflow` (hosts not audited, what
// failed, the findings) turn into one block per row and the others scroll sideways in their own
// box, so that no column is cut off. Paper (A4): the summary, then the findings the filter shows
// (FAIL, ERROR and WARN unless changed) with their evidence open, which fits the demo fleet on two
// pages; the per-host tables and the grid stay in the file, and the findings of hosts that were not
// reached too (the summary lists those hosts with the reason).

/**
 * A table read as one block per row, its header hidden: the cells marked `inline` on one line,
 * the others below at full width. For narrow screens (the tables of class `reflow`) and, for the
 * findings, paper, where it leaves the evidence the page's width.
 */
function reflow(table: string): string {
  return `  ${table} > thead { display: none; }
  ${table}, ${table} > tbody, ${table} > tbody > tr, ${table} > tbody > tr > :is(td, th) { display: block; }
  ${table} > tbody > tr { border-bottom: 1px solid var(--line); padding: 0.4rem 0; }
  ${table} > tbody > tr > :is(td, th) { border: 0; padding: 0.1rem 0; }
  ${table} > tbody > tr > .inline { display: inline-block; margin-right: 0.5rem; }`;
}

/** A status checkbox left unticked hides that status's rows; a row that is the link target stays. */
const STATUS_FILTERS = STATUSES.map(
  (s) => `#findings:has([data-filter-status="${s}"]:not(:checked)) #findings-table > tbody > tr[data-status="${s}"]:not(:target) { display: none; }`,
).join('\n');

export const STYLE = `
:root { --fail: #b3261e; --error: #7b1fa2; --warn: #a05a00; --pass: #1b6e20; --na: #5f6368; --na-soft: #c4c8cd; --line: #d0d4d9; --soft: #f4f6f8; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem 3rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1f2328; background: #fff; overflow-wrap: break-word; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 0.25rem; }
code, pre { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; }
.meta { color: var(--muted); margin: 0.25rem 0; }
.banner { background: #fff4e5; border: 1px solid var(--warn); padding: 0.5rem 0.75rem; }
#coverage h2 { font-size: 1rem; margin: 0.4rem 0 0.2rem; border: 0; padding: 0; }
#coverage .meaning { font-weight: normal; color: var(--muted); }
#coverage ul { margin: 0.2rem 0 0.4rem; padding-left: 1.25rem; }
.coverage { display: block; color: var(--warn); font-weight: normal; font-size: 12px; }
.totals .badge { margin-left: 0.5rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); position: sticky; top: 0; z-index: 1; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.has-FAIL { color: var(--fail); font-weight: 600; }
td.has-ERROR { color: var(--error); font-weight: 600; }
td.has-WARN { color: var(--warn); font-weight: 600; }
.badge { display: inline-block; min-width: 3.2em; padding: 0 0.4em; border-radius: 3px; color: #fff; font-weight: 600; font-size: 12px; text-align: center; }
.badge.s-FAIL { background: var(--fail); } .badge.s-ERROR { background: var(--error); } .badge.s-WARN { background: var(--warn); }
.badge.s-PASS { background: var(--pass); } .badge.s-NOT_APPLICABLE { background: var(--na); }
.mark { display: inline-block; padding: 0 0.35em; border-radius: 3px; font-size: 12px; border: 1px solid currentColor; }
.mark.waived { color: #0b5cad; } .mark.change-new { color: var(--fail); font-weight: 600; } .mark.change-changed { color: var(--pass); } .mark.change-unchanged { color: var(--na); }
.scroll { overflow-x: auto; }
/* A long word from a host (a path, a payload) wraps rather than widen these tables past the screen;
   the tables in a .scroll box keep their words whole and scroll instead. */
#findings-table td, table.reflow td, table.reflow th { overflow-wrap: anywhere; }
.rule { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.print-only { display: none; }

.alert { border: 2px solid var(--error); background: #faf3fb; border-radius: 6px; padding: 0 1rem 0.5rem; margin-top: 1rem; }
.alert h2 { color: var(--error); margin-top: 0.75rem; border-bottom-color: #e1c6e7; }
.alert p { margin: 0.25rem 0; }
.alert thead th { background: #f3e5f5; }

.headline { font-size: 1.1rem; margin: 0.5rem 0; }
.headline .s-PASS, .verdict.s-PASS { color: var(--pass); } .headline .s-FAIL, .verdict.s-FAIL { color: var(--fail); }
.headline .s-ERROR, .verdict.s-ERROR { color: var(--error); } .headline .s-WARN, .verdict.s-WARN { color: var(--warn); }
.legend { color: var(--muted); font-size: 12px; margin: 0.25rem 0 0.5rem; }
.legend .key { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; vertical-align: -0.1em; margin: 0 0.3em 0 0.6em; }
.legend .key:first-child { margin-left: 0; }
.key.s-PASS { background: var(--pass); } .key.s-WARN { background: var(--warn); } .key.s-FAIL { background: var(--fail); }
.key.s-ERROR { background: var(--error); } .key.s-NOT_APPLICABLE { background: var(--na-soft); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(310px, 100%), 1fr)); gap: 0.75rem 1rem; align-items: start; }
figure.cluster { margin: 0; padding: 0.5rem 0.6rem; border: 1px solid var(--line); border-radius: 6px; min-width: 0; }
figcaption .name { font-weight: 600; font-size: 1rem; margin-right: 0.4rem; }
figcaption .verdict { font-weight: 600; font-size: 13px; }
svg.chart { display: block; max-width: 100%; height: auto; margin-top: 0.4rem; }
.chart text { font: 11px system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; fill: #3a4048; dominant-baseline: central; }
.chart rect.s-PASS { fill: var(--pass); } .chart rect.s-WARN { fill: var(--warn); } .chart rect.s-FAIL { fill: var(--fail); }
.chart rect.s-ERROR { fill: var(--error); } .chart rect.s-NOT_APPLICABLE { fill: var(--na-soft); }
.chart text.share { font-weight: 600; }
.chart text.s-PASS { fill: var(--pass); } .chart text.s-WARN { fill: var(--warn); } .chart text.s-FAIL { fill: var(--fail); }
.chart text.s-ERROR { fill: var(--error); } .chart text.s-NOT_APPLICABLE { fill: var(--na); }
.failed .rule, .failed .cluster { color: var(--muted); }

.matrix td, .matrix th { text-align: center; white-space: nowrap; border: 1px solid var(--line); }
.matrix tbody th { text-align: left; }
.matrix thead th { white-space: normal; min-width: 5.5em; max-width: 9em; }
.matrix .cluster, .matrix .rule { color: var(--muted); font-weight: normal; font-size: 12px; }
.matrix td a { display: block; color: inherit; text-decoration: none; font-weight: 600; font-size: 12px; }
.matrix td.s-FAIL { background: #fde7e7; color: var(--fail); } .matrix td.s-ERROR { background: #f3e5f5; color: var(--error); }
.matrix td.s-WARN { background: #fff4e5; color: var(--warn); } .matrix td.s-PASS { background: #e8f5e9; color: var(--pass); }
.matrix td.s-NOT_APPLICABLE { background: var(--soft); color: var(--na); }
.matrix td.waived { background-image: repeating-linear-gradient(135deg, transparent 0 6px, rgba(11, 92, 173, 0.12) 6px 9px); }

.filters { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.5rem 0; }
.scripted { display: contents; }
.scripted[hidden] { display: none; }
.chip { display: inline-flex; align-items: center; gap: 0.3em; border: 1px solid var(--line); background: #fff; border-radius: 999px; padding: 0.15rem 0.7rem 0.15rem 0.45rem; cursor: pointer; }
.chip input { margin: 0; accent-color: #1f2328; }
.chip:has(input:checked) { border-color: #1f2328; background: var(--soft); }
#search { flex: 1 1 16rem; min-width: 0; padding: 0.3rem 0.5rem; font: inherit; }
.shown { color: var(--muted); }
${STATUS_FILTERS}
#findings:has(#changed-only:checked) #findings-table > tbody > tr:not([data-change="new"], [data-change="changed"]):not(:target) { display: none; }
#findings-table > tbody > tr[hidden] { display: none; }
button.sort { all: unset; cursor: pointer; font-weight: 600; }
th[aria-sort="ascending"] button.sort::after { content: " ▲"; } th[aria-sort="descending"] button.sort::after { content: " ▼"; }
#findings-table .title { color: var(--muted); font-size: 12px; }
details summary { cursor: pointer; }
.detail { margin: 0.5rem 0 0.25rem; padding: 0.5rem 0.75rem; background: var(--soft); border-radius: 4px; }
.detail dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.15rem 0.75rem; margin: 0 0 0.5rem; }
.detail dt { font-weight: 600; } .detail dd { margin: 0; }
.evidence { background: #fff; }
.evidence td { overflow-wrap: anywhere; }
.remediation code { background: #fff; border: 1px solid var(--line); border-radius: 3px; padding: 0 0.2em; }
.waiver { color: #0b5cad; }
tr:target > td { outline: 2px solid #0b5cad; }

@media screen and (max-width: 760px) {
  body { padding: 0.75rem 0.75rem 2rem; }
  h2 { margin-top: 1.5rem; }
  .detail { padding: 0.4rem 0.5rem; }
  .detail dl { grid-template-columns: minmax(0, 1fr); }
  .evidence th, .evidence td { padding: 0.2rem 0.3rem; }
${reflow('table.reflow')}
}

@media print {
  @page { size: A4; margin: 12mm 10mm; }
  body { max-width: none; padding: 0; font-size: 10px; line-height: 1.35; }
  h1 { font-size: 17px; margin: 0 0 0.2rem; }
  h2 { font-size: 13px; margin: 0.8rem 0 0.3rem; }
  h3 { font-size: 11px; margin: 0.5rem 0 0.2rem; }
  code, pre { font-size: 9px; }
  .badge, .mark, .rule, #findings-table .title { font-size: 9px; }
  #filters, #hosts, #clusters, #matrix { display: none !important; }
  .print-only { display: block; color: var(--muted); margin: 0.2rem 0; }
  th, td { padding: 0.1rem 0.35rem; }
  thead { display: table-header-group; }
  thead th { position: static; }
  th[aria-sort] button.sort::after { content: none; }
  tr, .detail, figure.cluster, .alert { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .scroll { overflow: visible; }
  .alert { padding: 0 0.6rem 0.3rem; margin-top: 0.4rem; }
  .alert h2 { margin-top: 0.4rem; }
  .headline { font-size: 12px; margin: 0.2rem 0; }
  .legend { font-size: 9px; margin: 0 0 0.3rem; }
  .charts { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.4rem 0.6rem; }
  figure.cluster { padding: 0.2rem 0.4rem; }
  figcaption .name { font-size: 11px; } figcaption .verdict, figcaption .coverage { font-size: 9px; }
  #coverage { padding: 0.2rem 0.5rem; }
  #coverage h2 { font-size: 11px; margin: 0.2rem 0 0; }
  #coverage ul { margin: 0 0 0.2rem; }
  svg.chart { margin-top: 0.1rem; }
${reflow('#findings-table')}
  #findings-table > tbody > tr[data-unreached] { display: none; }
  #findings-table > tbody > tr { padding: 0.25rem 0; }
  #findings-table > tbody > tr > td.c-rule { display: inline; }
  #findings-table > tbody > tr > td.c-rule br { display: none; }
  #findings-table .title::before { content: "· "; }
  .detail { margin: 0.15rem 0 0; padding: 0.2rem 0.5rem; }
  .detail dl { display: flex; flex-wrap: wrap; gap: 0 0.4rem; margin: 0; }
  .detail dt::after { content: ":"; }
  .detail dd + dt { margin-left: 0.8rem; }
  .evidence { margin: 0.15rem 0; }
  .evidence thead { display: none; }
  .evidence th, .evidence td { padding: 0 0.3rem; }
  .remediation { margin: 0.15rem 0 0; }
  .badge, .mark, .key, thead th, .detail, .alert, .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  details > summary { list-style: none; cursor: auto; }
  details > summary::-webkit-details-marker { display: none; }
  details::details-content { content-visibility: visible; display: contents; }
}
`;
