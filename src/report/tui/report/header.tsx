import { Box } from 'ink';
import type { Segment } from '../line.js';
import { Line } from '../line.js';
import { countSegments } from '../text/counts.js';
import { clip, fit, textWidth } from '../text/fit.js';
import type { ReportData } from './report-data.js';
import type { Frame, Tab, ViewState } from './view-state.js';
import { findingOf } from './screens.js';

// The two lines above every screen: what was scanned with the totals, then the tabs and where
// the auditor is.

const TAB_LABEL: Record<Tab, string> = { hosts: 'Hosts', controls: 'Controls' };

export function Header({ state, data, width, color }: { state: ViewState; data: ReportData; width: number; color: boolean }) {
  return (
    <Box flexDirection="column">
      <Line segments={topBar(data, width)} color={color} />
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
  const interrupted = result.interrupted ? ' · INTERRUPTED' : '';
  const full = `fleetbench · ${benchmark} · ${scope}${interrupted}`;
  const short = `fleetbench · ${benchmark}${interrupted}`;
  if (textWidth(short) + 2 + totalsWidth > width) return [{ text: clip(short, width), tone: 'heading' }];
  const title = textWidth(full) + 2 + totalsWidth <= width ? full : short;
  return [{ text: fit(title, width - totalsWidth), tone: 'heading' }, ...totals];
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
