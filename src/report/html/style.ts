// The report's only stylesheet, inlined and allowed by its hash in the Content-Security-Policy.
// No style="" attributes anywhere: the policy would block them. System fonts only: the report
// must not fetch anything.

export const STYLE = `
:root { --fail: #b3261e; --error: #7b1fa2; --warn: #a05a00; --pass: #1b6e20; --na: #5f6368; --line: #d0d4d9; --soft: #f4f6f8; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem 3rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1f2328; background: #fff; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
code, pre { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; }
.meta { color: #57606a; margin: 0.25rem 0; }
.banner { background: #fff4e5; border: 1px solid var(--warn); padding: 0.5rem 0.75rem; }
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
.matrix td, .matrix th { text-align: center; white-space: nowrap; border: 1px solid var(--line); }
.matrix tbody th { text-align: left; }
.matrix thead th { white-space: normal; min-width: 5.5em; max-width: 9em; }
.matrix .cluster, .matrix .rule { color: #57606a; font-weight: normal; font-size: 12px; }
.matrix td a { display: block; color: inherit; text-decoration: none; font-weight: 600; font-size: 12px; }
.matrix td.s-FAIL { background: #fde7e7; color: var(--fail); } .matrix td.s-ERROR { background: #f3e5f5; color: var(--error); }
.matrix td.s-WARN { background: #fff4e5; color: var(--warn); } .matrix td.s-PASS { background: #e8f5e9; color: var(--pass); }
.matrix td.s-NOT_APPLICABLE { background: var(--soft); color: var(--na); }
.matrix td.waived { background-image: repeating-linear-gradient(135deg, transparent 0 6px, rgba(11, 92, 173, 0.12) 6px 9px); }
.filters { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.5rem 0; }
.filters[hidden] { display: none; }
.chip { border: 1px solid var(--line); background: #fff; border-radius: 999px; padding: 0.2rem 0.7rem; cursor: pointer; font: inherit; }
.chip[aria-pressed="true"] { background: #1f2328; color: #fff; border-color: #1f2328; }
#search { flex: 1 1 16rem; padding: 0.3rem 0.5rem; font: inherit; }
.shown { color: #57606a; }
button.sort { all: unset; cursor: pointer; font-weight: 600; }
th[aria-sort="ascending"] button.sort::after { content: " ▲"; } th[aria-sort="descending"] button.sort::after { content: " ▼"; }
#findings-table .rule { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
#findings-table .title { color: #57606a; font-size: 12px; }
details summary { cursor: pointer; }
.detail { margin: 0.5rem 0 0.25rem; padding: 0.5rem 0.75rem; background: var(--soft); border-radius: 4px; }
.detail dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 0.75rem; margin: 0 0 0.5rem; }
.detail dt { font-weight: 600; } .detail dd { margin: 0; }
.evidence { background: #fff; }
.waiver { color: #0b5cad; }
tr:target > td { outline: 2px solid #0b5cad; }
@media print {
  @page { size: landscape; margin: 10mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  .filters, #filters, button.sort::after { display: none !important; }
  button.sort { font-weight: 600; }
  thead { display: table-header-group; }
  thead th { position: static; }
  tr, .detail { break-inside: avoid; }
  h2 { break-after: avoid; }
  .scroll { overflow: visible; }
  .badge, .matrix td, .mark, thead th, .detail { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  details > summary { list-style: none; }
  details > summary::-webkit-details-marker { display: none; }
}
@media print { details::details-content { content-visibility: visible; display: contents; } }
`;
