import { Box } from 'ink';
import type { Segment } from '../line.js';
import { Line } from '../line.js';
import { countSegments } from '../text/counts.js';
import { clip, fit, textWidth } from '../text/fit.js';
import { hasScopeLine } from './layout.js';
import type { ReportData } from './report-data.js';
import type { Frame, Tab, ViewState } from './view-state.js';
import { findingOf } from './screens.js';

// The lines above every screen: what was scanned with the totals; what the report does not cover,
// when it leaves something out (a partial, interrupted or merged scan, a baseline comparison in
// part, expired waivers), so that no one reads a partial report as the whole fleet; then the tabs
// and where the auditor is.

const TAB_LABEL: Record<Tab, string> = { hosts: 'Hosts', controls: 'Controls' };

export function Header({ state, data, width, color }: { state: ViewState; data: ReportData; width: number; color: boolean }) {
  return (
    <Box flexDirection="column">
      <Line segments={topBar(data, width)} color={color} />
      {hasScopeLine(data) ? <Line segments={scopeLine(data, width)} color={color} /> : null}
      <Line segments={tabsLine(state, data, width)} color={color} />
    </Box>
  );
}

function topBar(data: ReportData, width: number): Segment[] {
  const { result } = data;
  const totals = countSegments(data.totals);
  const totalsWidth = totals.reduce((sum, s) => sum + textWidth(s.text), 0);
  const benchmark = `CIS ${result.benchmark.replace(/^cis-/, '')}`;
  const scope = `${result.hosts.length} hosts · ${result.clusters.length} clusters`;
  const full = `fleetbench · ${benchmark} · ${scope}`;
  const short = `fleetbench · ${benchmark}`;
  if (textWidth(short) + 2 + totalsWidth > width) return [{ text: clip(short, width), tone: 'heading' }];
  const title = textWidth(full) + 2 + totalsWidth <= width ? full : short;
  return [{ text: fit(title, width - totalsWidth), tone: 'heading' }, ...totals];
}

const DETAILS_HINT = '  ? details';

/** `Partial scan: 6 hosts and 12 controls left out (--limit, --check) · Merged from 2 results: …   ? details`. */
function scopeLine(data: ReportData, width: number): Segment[] {
  const text = data.notes.map((note) => note.summary).join(' · ');
  if (width <= DETAILS_HINT.length + 8) return [{ text: clip(text, width), tone: 'WARN' }];
  return [
    { text: fit(text, width - DETAILS_HINT.length), tone: 'WARN' },
    { text: DETAILS_HINT, tone: 'dim' },
  ];
}

function tabsLine(state: ViewState, data: ReportData, width: number): Segment[] {
  const tabs = (Object.keys(TAB_LABEL) as Tab[]).map((tab): Segment => {
    const label = tab === state.tab ? `[${TAB_LABEL[tab]}]` : ` ${TAB_LABEL[tab]} `;
    return tab === state.tab ? { text: label, tone: 'accent' } : { text: label, tone: 'dim' };
  });
  const trail = state.stacks[state.tab].slice(1).map((frame) => crumb(frame, state.tab, data));
  const used = tabs.reduce((sum, t) => sum + textWidth(t.text), 0);
  return [...tabs, { text: clip(trail.length === 0 ? '' : `  ${trail.join(' › ')}`, width - used) }];
}

function crumb(frame: Frame, tab: Tab, data: ReportData): string {
  const { screen } = frame;
  switch (screen.kind) {
    case 'host':
      return screen.host;
    case 'control':
      return `control ${data.controls.find((c) => c.ruleId === screen.ruleId)?.control ?? screen.ruleId}`;
    case 'finding': {
      const finding = findingOf(screen, data);
      if (!finding) return '';
      return tab === 'hosts' ? `control ${finding.control}` : finding.host;
    }
    default:
      return '';
  }
}
