import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseResult } from '../../../src/result/result-file.js';
import type { ScanResult } from '../../../src/model.js';
import { rawControls } from '../../support/hostile-result.js';
import { buildReportData } from '../../../src/report/tui/report/report-data.js';
import type { ReportData } from '../../../src/report/tui/report/report-data.js';

// fixtures/results/tui-fleet.json: a small saved result made for the report views. Clusters prod
// (3 hosts, prod-cp2 fails 1.1.11), staging (stage-1 fails 2.2 and 2.3 and has two membership
// WARNs from one rule; stage-2 WARNs on 2.3), legacy (legacy-1 unreachable) and hostile (evil-1,
// whose etcd arguments, evidence and problems carry terminal escape sequences).
const FILE = fileURLToPath(new URL('../../../fixtures/results/tui-fleet.json', import.meta.url));

export const HOSTILE_RAW = '\u001b[2J\u001b[31mPWNED\u001b]0;owned\u0007\r';
/** How the payload must look on screen: every control character spelled out. */
export const HOSTILE_SHOWN = '\\e[2J\\e[31mPWNED\\e]0;owned\\x07\\r';

export function tuiFleet(): ScanResult {
  return parseResult(readFileSync(FILE, 'utf8'), FILE);
}

export function tuiFleetData(): ReportData {
  return buildReportData(tuiFleet());
}

/** Control and bidi characters other than in the colors Ink itself writes: none may reach the screen. */
export function foreignEscapes(frame: string): string[] {
  return rawControls(frame.replace(/\u001b\[[0-9;]*m/g, ''));
}
