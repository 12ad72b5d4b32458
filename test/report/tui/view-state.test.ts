import { describe, expect, it } from 'vitest';
import type { Row } from '../../../src/report/tui/report/screens.js';
import type { Action, ViewState } from '../../../src/report/tui/report/view-state.js';
import { currentFrame, frameRows, initialViewState, reduceView, scrollToShow, selectedIndex } from '../../../src/report/tui/report/view-state.js';
import { tuiFleetData } from './fixture.js';

const data = tuiFleetData();
const context = { data, width: 80, height: 24 };

function run(...actions: Action[]): ViewState {
  return actions.reduce((state, action) => reduceView(state, action, context), initialViewState());
}

function selected(state: ViewState): Row | undefined {
  const frame = currentFrame(state);
  const rows = frameRows(state, frame, data);
  return rows[selectedIndex(rows, frame)];
}

function label(row: Row | undefined): string {
  switch (row?.kind) {
    case 'host':
      return row.summary.host.name;
    case 'finding':
      return `${row.finding.host} ${row.finding.control}`;
    case 'control':
      return row.control.control;
    default:
      return String(row?.kind);
  }
}

const down: Action = { type: 'move', by: 1 };
const up: Action = { type: 'move', by: -1 };
const open: Action = { type: 'open' };
const back: Action = { type: 'back' };

describe('navigation', () => {
  it('starts on the host not audited, then the worst host, and moves over hosts, never onto a cluster heading', () => {
    expect(label(selected(initialViewState()))).toBe('legacy-1');
    expect(label(selected(run(down)))).toBe('evil-1');
    expect(label(selected(run(down, down)))).toBe('prod-cp2');
    expect(label(selected(run(down, up, up)))).toBe('legacy-1');
    expect(label(selected(run({ type: 'edge', to: 'last' })))).toBe('stage-2');
    expect(label(selected(run({ type: 'edge', to: 'last' }, { type: 'edge', to: 'first' })))).toBe('legacy-1');
  });

  it('opens a host, then a finding, and goes back the same way', () => {
    const host = run(down, down, down, down, down, open);
    expect(currentFrame(host).screen).toEqual({ kind: 'host', host: 'stage-1' });
    expect(label(selected(host))).toBe('stage-1 2.2');
    const finding = reduceView(reduceView(host, down, context), open, context);
    expect(currentFrame(finding).screen.kind).toBe('finding');
    expect(data.result.findings[(currentFrame(finding).screen as { id: number }).id]!.control).toBe('2.3');
    const again = reduceView(reduceView(finding, back, context), back, context);
    expect(currentFrame(again).screen).toEqual({ kind: 'hosts' });
    expect(label(selected(again))).toBe('stage-1');
  });

  it('opens each of two findings that one rule made on one host', () => {
    const host = run(down, down, down, down, down, open, down, down);
    const first = currentFrame(reduceView(host, open, context)).screen;
    const second = currentFrame(reduceView(reduceView(host, down, context), open, context)).screen;
    expect(first).not.toEqual(second);
  });

  it('keeps a stack per tab: the controls view and back to the host that was open', () => {
    const inHost = run(down, open);
    const controls = reduceView(inHost, { type: 'switch-tab' }, context);
    expect(currentFrame(controls).screen).toEqual({ kind: 'controls' });
    expect(label(selected(controls))).toBe('2.2');
    const hostsAgain = reduceView(controls, { type: 'switch-tab' }, context);
    expect(currentFrame(hostsAgain).screen).toEqual({ kind: 'host', host: 'evil-1' });
  });

  it('lists, for a control, every host with its verdict, failing ones first', () => {
    const control = run({ type: 'switch-tab' }, open);
    expect(currentFrame(control).screen).toEqual({ kind: 'control', ruleId: 'etcd-client-cert-auth' });
    const rows = frameRows(control, currentFrame(control), data);
    expect(rows.map(label).slice(0, 3)).toEqual(['evil-1 2.2', 'stage-1 2.2', 'legacy-1 2.2']);
  });

  it('scrolls a finding document within its length', () => {
    const finding = run(down, open, open);
    const scrolled = reduceView(finding, { type: 'edge', to: 'last' }, { ...context, height: 12 });
    expect(currentFrame(scrolled).top).toBeGreaterThan(0);
    const top = reduceView(scrolled, { type: 'page', direction: -1 }, { ...context, height: 12 });
    expect(currentFrame(top).top).toBeLessThan(currentFrame(scrolled).top);
    expect(currentFrame(reduceView(top, up, context)).top).toBeGreaterThanOrEqual(0);
  });
});

describe('filter and search', () => {
  it('cycles the status filter and keeps the selected host while it is shown', () => {
    const fails = run(down, down, { type: 'cycle-filter', direction: 1 });
    expect(fails.filter).toBe('FAIL');
    expect(
      frameRows(fails, currentFrame(fails), data)
        .filter((r) => r.kind === 'host')
        .map(label),
    ).toEqual(['evil-1', 'prod-cp2', 'stage-1']);
    expect(label(selected(fails))).toBe('prod-cp2');
    const errors = reduceView(fails, { type: 'cycle-filter', direction: 1 }, context);
    expect(errors.filter).toBe('ERROR');
    expect(label(selected(errors))).toBe('legacy-1');
    expect(run({ type: 'cycle-filter', direction: -1 }).filter).toBe('NOT_APPLICABLE');
    expect(run({ type: 'cycle-filter', direction: 1 }, { type: 'cycle-filter', direction: -1 }).filter).toBeUndefined();
  });

  it('filters the findings of a host too', () => {
    const warnings = run(
      down,
      down,
      down,
      down,
      down,
      { type: 'cycle-filter', direction: 1 },
      { type: 'cycle-filter', direction: 1 },
      { type: 'cycle-filter', direction: 1 },
      open,
    );
    expect(warnings.filter).toBe('WARN');
    expect(frameRows(warnings, currentFrame(warnings), data).map(label)).toEqual(['stage-1 -', 'stage-1 -']);
  });

  it('searches host names as they are typed, and Esc clears the search before going back', () => {
    const typing = run({ type: 'search-start' }, { type: 'search-type', text: 'stag' }, { type: 'search-type', text: 'x' }, { type: 'search-erase' });
    expect(typing.searching).toBe(true);
    expect(currentFrame(typing).query).toBe('stag');
    expect(frameRows(typing, currentFrame(typing), data).map(label)).toEqual(['cluster', 'stage-1', 'stage-2']);
    expect(label(selected(typing))).toBe('stage-1');
    const kept = reduceView(typing, { type: 'search-accept' }, context);
    expect(kept.searching).toBe(false);
    const inHost = reduceView(kept, open, context);
    expect(currentFrame(reduceView(inHost, back, context)).query).toBe('stag');
    const cleared = reduceView(reduceView(inHost, back, context), back, context);
    expect(currentFrame(cleared).query).toBe('');
    expect(cleared.stacks.hosts).toHaveLength(1);
  });

  it('searches controls by number or title on the controls tab', () => {
    const found = run({ type: 'switch-tab' }, { type: 'search-start' }, { type: 'search-type', text: 'auto-tls' });
    expect(frameRows(found, currentFrame(found), data).map(label)).toEqual(['2.3']);
    const cancelled = reduceView(found, { type: 'search-cancel' }, context);
    expect(frameRows(cancelled, currentFrame(cancelled), data)).toHaveLength(4);
  });

  it('drops control characters typed or pasted into a search', () => {
    expect(currentFrame(run({ type: 'search-start' }, { type: 'search-type', text: 'ev\u001b[2Jil' })).query).toBe('ev[2Jil');
  });
});

describe('scrollToShow', () => {
  const rows = frameRows(initialViewState(), currentFrame(initialViewState()), data);

  it('scrolls just enough to show the selection, with its cluster heading', () => {
    expect(scrollToShow(rows, 10, 0, 4)).toBe(7);
    expect(scrollToShow(rows, 3, 7, 4)).toBe(2);
    expect(scrollToShow(rows, 4, 2, 4)).toBe(2);
  });

  it('follows the selection down a page in a short terminal', () => {
    const short = { ...context, height: 10 };
    const state = [down, down, down, down, down, down].reduce((s, a) => reduceView(s, a, short), initialViewState());
    expect(label(selected(state))).toBe('stage-2');
    // A page of 4 rows (10 lines less the chrome), ending at stage-2: prod-cp3, staging, stage-1, stage-2.
    expect(currentFrame(state).top).toBe(7);
  });
});
