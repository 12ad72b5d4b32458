import { createHash } from 'node:crypto';
import type { ScanResult } from '../model.js';
import { findingsSection } from './html/findings.js';
import { Html, html, jsonForScriptBlock } from './html/markup.js';
import { matrixSection } from './html/matrix.js';
import { inventoryLabel } from './html/inventory-label.js';
import { changesSection, clustersSection, expiredWaiversSection, header, hostsSection } from './html/overview.js';
import { SCRIPT } from './html/script.js';
import { STYLE } from './html/style.js';
import { notAuditedSection, summarySection } from './html/summary.js';

// The auditor's report: one HTML file to mail around, that works offline and from a file:// URL.
// It reads top down for a manager: the hosts that could not be audited, the compliance summary
// (a chart per cluster, then what failed), the findings worst first; then the detail for the
// auditor: per-host tables and the host × control grid. Printed, it keeps the summary and the
// findings that need attention (style.ts says how).
//
// Self-contained and locked down: the stylesheet and script are inline, and the
// Content-Security-Policy allows exactly those two blocks, by their SHA-256, and nothing else: no
// network, no other script (so an injected <script> or onerror= could not run even if escaping
// failed), no forms, no <base>. Host-supplied text is escaped by construction (html/markup.ts).
// The complete result is embedded as JSON (`#fleetbench-result`) for tools; it is data, not
// script, and is never executed. Our own CSS and JS go in verbatim (as Html): the hashes in the
// policy are of exactly those bytes.

function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${cspHash(STYLE)}`,
  `script-src ${cspHash(SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderHtml(result: ScanResult): string {
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="fleetbench ${result.tool.version}">
<title>fleetbench audit · ${inventoryLabel(result.inventory).shown} · ${result.startedAt}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
${header(result)}
<main>
${notAuditedSection(result)}
${summarySection(result)}
${changesSection(result)}
${expiredWaiversSection(result)}
${findingsSection(result)}
${hostsSection(result)}
${clustersSection(result)}
${matrixSection(result)}
</main>
<script type="application/json" id="fleetbench-result">${jsonForScriptBlock(result)}</script>
<script>${new Html(SCRIPT)}</script>
</body>
</html>
`;
  return page.source;
}
