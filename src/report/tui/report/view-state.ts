import { STATUSES } from '../../../status.js';
import type { Status } from '../../../model.js';
import { findingDocument } from './finding-document.js';
import { isList, pageSize } from './layout.js';
import type { ReportData } from './report-data.js';
import type { Row, Screen } from './screens.js';
import { findingOf, isSelectable, rowsOf, screenBehind } from './screens.js';

// Navigation, filtering and search of the interactive report as a pure reducer: every key is an
// action, and the next state depends only on the state, the action and the terminal size.

export type Tab = 'hosts' | 'controls';

/** One screen on a tab's stack, with its own selection, scroll position and search. */
export interface Frame {
  screen: Screen;
  /** Key of the selected row; kept by identity so filtering does not move the selection to another host. */
  selected?: string;
  /** First row (or document line) shown. */
  top: number;
  query: string;
}

export interface ViewState {
  tab: Tab;
  /** Each tab keeps its own stack, so switching tabs returns to where the auditor was. */
  stacks: Record<Tab, Frame[]>;
  /** Show only this status, on every screen. */
  filter?: Status;
  /** Keys are typed into the current screen's search. */
  searching: boolean;
  help: boolean;
}

export interface ViewContext {
  data: ReportData;
  width: number;
  height: number;
}

export type Action =
  | { type: 'move'; by: number }
  | { type: 'page'; direction: 1 | -1 }
  | { type: 'edge'; to: 'first' | 'last' }
  | { type: 'open' }
  | { type: 'back' }
  | { type: 'switch-tab' }
  | { type: 'cycle-filter'; direction: 1 | -1 }
  | { type: 'search-start' }
  | { type: 'search-type'; text: string }
  | { type: 'search-erase' }
  | { type: 'search-accept' }
  | { type: 'search-cancel' }
  | { type: 'toggle-help' };

const FILTERS: readonly (Status | undefined)[] = [undefined, ...STATUSES];

export function initialViewState(): ViewState {
  return {
    tab: 'hosts',
    stacks: { hosts: [{ screen: { kind: 'hosts' }, top: 0, query: '' }], controls: [{ screen: { kind: 'controls' }, top: 0, query: '' }] },
    searching: false,
    help: false,
  };
}

export function currentFrame(state: ViewState): Frame {
  return state.stacks[state.tab].at(-1)!;
}

export function reduceView(state: ViewState, action: Action, context: ViewContext): ViewState {
  const frame = currentFrame(state);
  switch (action.type) {
    case 'move':
      return withFrame(state, moveBy(state, frame, action.by, context), context);
    case 'page':
      return withFrame(state, moveBy(state, frame, action.direction * pageSize(frame.screen, context.height, context.data), context), context);
    case 'edge':
      return withFrame(state, moveBy(state, frame, action.to === 'first' ? -Infinity : Infinity, context), context);
    case 'open': {
      const row = selectedRow(state, frame, context);
      const next = row && screenBehind(row);
      if (!next) return state;
      const stack = state.stacks[state.tab];
      return { ...state, stacks: { ...state.stacks, [state.tab]: [...stack, { screen: next, top: 0, query: '' }] } };
    }
    case 'back': {
      if (frame.query !== '') return withFrame(state, { ...frame, query: '' }, context);
      const stack = state.stacks[state.tab];
      if (stack.length === 1) return state;
      return { ...state, stacks: { ...state.stacks, [state.tab]: stack.slice(0, -1) } };
    }
    case 'switch-tab':
      return { ...state, tab: state.tab === 'hosts' ? 'controls' : 'hosts' };
    case 'cycle-filter': {
      const index = FILTERS.indexOf(state.filter);
      const filter = FILTERS[(index + action.direction + FILTERS.length) % FILTERS.length];
      return withFrame({ ...state, filter }, frame, context);
    }
    case 'search-start':
      return isList(frame.screen) ? { ...state, searching: true } : state;
    case 'search-type':
      return withFrame(state, { ...frame, query: frame.query + printable(action.text) }, context);
    case 'search-erase':
      return withFrame(state, { ...frame, query: Array.from(frame.query).slice(0, -1).join('') }, context);
    case 'search-accept':
      return { ...state, searching: false };
    case 'search-cancel':
      return withFrame({ ...state, searching: false }, { ...frame, query: '' }, context);
    case 'toggle-help':
      return { ...state, help: !state.help };
  }
}

// One key press asks for the same rows several times (to move, to keep the selection in view, to
// draw); for 10,000 hosts each costs milliseconds. The last answer per report is remembered: the
// data never changes, and the screen, filter and search make the rest of the question.
const lastRows = new WeakMap<ReportData, { question: string; rows: Row[] }>();

/** The rows of a frame's screen under the current filter and the frame's search. */
export function frameRows(state: ViewState, frame: Frame, data: ReportData): Row[] {
  const question = JSON.stringify([frame.screen, state.filter ?? null, frame.query]);
  const last = lastRows.get(data);
  if (last?.question === question) return last.rows;
  const rows = rowsOf(frame.screen, data, { filter: state.filter, query: frame.query });
  lastRows.set(data, { question, rows });
  return rows;
}

/** Index of the selected row: the remembered one while it is shown, else the first selectable. */
export function selectedIndex(rows: readonly Row[], frame: Frame): number {
  const remembered = frame.selected === undefined ? -1 : rows.findIndex((row) => row.key === frame.selected);
  return remembered >= 0 ? remembered : rows.findIndex(isSelectable);
}

/**
 * The frame made consistent with what its screen shows now: a selection that exists and a scroll
 * position that shows it. Also used when drawing, since a resize or a filter changes both.
 */
export function normalizeFrame(state: ViewState, frame: Frame, context: ViewContext): Frame {
  const page = pageSize(frame.screen, context.height, context.data);
  if (!isList(frame.screen)) {
    const length = documentLength(frame.screen, context);
    return { ...frame, top: clamp(frame.top, 0, Math.max(0, length - page)) };
  }
  const rows = frameRows(state, frame, context.data);
  const index = selectedIndex(rows, frame);
  return { ...frame, selected: rows[index]?.key, top: scrollToShow(rows, index, frame.top, page) };
}

function withFrame(state: ViewState, frame: Frame, context: ViewContext): ViewState {
  const stack = state.stacks[state.tab];
  return { ...state, stacks: { ...state.stacks, [state.tab]: [...stack.slice(0, -1), normalizeFrame(state, frame, context)] } };
}

function moveBy(state: ViewState, frame: Frame, by: number, context: ViewContext): Frame {
  if (!isList(frame.screen)) {
    const top = Number.isFinite(by) ? frame.top + by : by < 0 ? 0 : Number.MAX_SAFE_INTEGER;
    return { ...frame, top };
  }
  const rows = frameRows(state, frame, context.data);
  const from = selectedIndex(rows, frame);
  if (from < 0) return frame;
  const to = rows[targetIndex(rows, from, by)]!;
  return { ...frame, selected: to.key };
}

/** One step goes to the next selectable row; a page or an edge lands on the nearest selectable row. */
function targetIndex(rows: readonly Row[], from: number, by: number): number {
  const direction = Math.sign(by);
  if (Math.abs(by) === 1) {
    for (let i = from + direction; i >= 0 && i < rows.length; i += direction) if (isSelectable(rows[i]!)) return i;
    return from;
  }
  const landing = clamp(from + (Number.isFinite(by) ? by : direction * rows.length), 0, rows.length - 1);
  for (const step of [direction, -direction]) {
    for (let i = landing; i >= 0 && i < rows.length; i += step) if (isSelectable(rows[i]!)) return i;
  }
  return from;
}

/** Keeps the selected row on screen, together with the cluster heading just above it. */
export function scrollToShow(rows: readonly Row[], index: number, top: number, page: number): number {
  let next = clamp(top, 0, Math.max(0, rows.length - page));
  if (index < 0) return next;
  const headed = index > 0 && !isSelectable(rows[index - 1]!) ? index - 1 : index;
  if (headed < next) next = headed;
  if (index >= next + page) next = index - page + 1;
  return next;
}

function selectedRow(state: ViewState, frame: Frame, context: ViewContext): Row | undefined {
  const rows = frameRows(state, frame, context.data);
  return rows[selectedIndex(rows, frame)];
}

function documentLength(screen: Screen, context: ViewContext): number {
  if (screen.kind !== 'finding') return 0;
  const finding = findingOf(screen, context.data);
  return finding ? findingDocument(finding, context.width).length : 0;
}

function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
