import { Box } from 'ink';
import { DocumentBody } from './document-body.js';
import { findingDocument } from './finding-document.js';
import { Footer } from './footer.js';
import { Header } from './header.js';
import { HelpScreen } from './help-screen.js';
import { hasSubtitle, pageSize } from './layout.js';
import type { ReportData } from './report-data.js';
import { findingOf, isSelectable } from './screens.js';
import { ListBody } from './list-body.js';
import { Subtitle } from './subtitle.js';
import { tableFor } from './tables.js';
import type { ViewState } from './view-state.js';
import { currentFrame, frameRows, normalizeFrame, selectedIndex } from './view-state.js';

export interface ReportViewProps {
  state: ViewState;
  data: ReportData;
  width: number;
  height: number;
  color: boolean;
}

/** The whole report screen for a state and a terminal size; no input, no effects. */
export function ReportView({ state, data, width, height, color }: ReportViewProps) {
  if (state.help) return <HelpScreen notes={data.notes} width={width} height={height} color={color} />;
  const context = { data, width, height };
  const frame = normalizeFrame(state, currentFrame(state), context);
  const { screen } = frame;
  const page = pageSize(screen, height, data);
  let body;
  let position;
  if (screen.kind === 'finding') {
    const finding = findingOf(screen, data);
    const lines = finding ? findingDocument(finding, width) : [];
    body = <DocumentBody lines={lines} top={frame.top} page={page} color={color} />;
    position = lines.length <= page ? '' : `lines ${frame.top + 1}-${Math.min(frame.top + page, lines.length)} of ${lines.length}`;
  } else {
    const rows = frameRows(state, frame, data);
    const selected = selectedIndex(rows, frame);
    const selectable = rows.filter(isSelectable);
    const noun = screen.kind === 'hosts' ? 'hosts' : screen.kind === 'controls' ? 'controls' : 'findings';
    position = `${selectable.length === 0 ? 0 : selectable.indexOf(rows[selected]!) + 1}/${selectable.length} ${noun}`;
    body = (
      <ListBody
        table={tableFor(screen, data, state.filter, width)}
        rows={rows}
        selected={selected}
        top={frame.top}
        page={page}
        width={width}
        color={color}
        empty={state.filter === undefined && frame.query === '' ? `no ${noun}` : `no ${noun} match the filter and search (f, Esc)`}
      />
    );
  }
  return (
    <Box flexDirection="column" width={width}>
      <Header state={state} data={data} width={width} color={color} />
      {hasSubtitle(screen) ? <Subtitle screen={screen} data={data} width={width} color={color} /> : null}
      {body}
      <Footer state={state} frame={frame} position={position} width={width} color={color} />
    </Box>
  );
}
