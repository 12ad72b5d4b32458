import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { HostOutcome } from '../../../src/model.js';
import type { LiveState } from '../../../src/report/tui/live/live-state.js';
import { addNote, applyScanEvent, inFlightHosts, initialLiveState, remainingMs, SLOW_FLOOR_MS, slowAfterMs } from '../../../src/report/tui/live/live-state.js';
import { LiveView } from '../../../src/report/tui/live/live-view.js';
import { HOSTILE_RAW, HOSTILE_SHOWN, foreignEscapes, tuiFleet } from './fixture.js';

afterEach(() => cleanup());

const T0 = 1_000_000;
const result = tuiFleet();
const targets = result.hosts.map((h) => ({ name: h.name, cluster: h.cluster }));
const outcome = (name: string, durationMs: number, reached = true): HostOutcome => ({ ...result.hosts.find((h) => h.name === name)!, reached, durationMs });

/** Staging is done (and evaluated), prod-cp1 has finished, three prod/legacy hosts are in flight. */
function midScan(): LiveState {
  let state = initialLiveState(targets, T0);
  for (const host of ['stage-1', 'stage-2', 'prod-cp1', 'prod-cp2', 'legacy-1']) state = applyScanEvent(state, { type: 'host-started', host, at: T0 });
  state = applyScanEvent(state, { type: 'host-finished', outcome: outcome('stage-1', 1000) });
  state = applyScanEvent(state, { type: 'host-finished', outcome: outcome('stage-2', 1200) });
  state = applyScanEvent(state, { type: 'cluster-evaluated', cluster: 'staging', findings: result.findings.filter((f) => f.cluster === 'staging') });
  state = applyScanEvent(state, { type: 'host-finished', outcome: outcome('prod-cp1', 800) });
  return state;
}

describe('live state', () => {
  it('counts hosts done and in flight, and findings of the clusters evaluated so far', () => {
    const state = midScan();
    expect(state).toMatchObject({ total: 7, clusters: 4, finished: 3, unreachable: 0, evaluatedClusters: 1 });
    expect(Object.keys(state.inFlight).sort()).toEqual(['legacy-1', 'prod-cp2']);
    expect(state.counts).toEqual({ FAIL: 2, ERROR: 0, WARN: 3, PASS: 3, NOT_APPLICABLE: 0 });
    expect(state.failing.map((c) => [c.control, c.hosts])).toEqual([
      ['2.2', ['stage-1']],
      ['2.3', ['stage-1']],
    ]);
  });

  it('estimates the time left from the pace so far', () => {
    const state = midScan();
    expect(remainingMs(initialLiveState(targets, T0), T0 + 5000)).toBeUndefined();
    expect(remainingMs(state, T0 + 3000)).toBe(4000);
  });

  it('calls a host slow when it takes far longer than the hosts before it, and not before 5 s', () => {
    const state = midScan();
    expect(inFlightHosts(state, T0 + SLOW_FLOOR_MS - 1).map((h) => h.slow)).toEqual([false, false]);
    const later = applyScanEvent(state, { type: 'host-started', host: 'prod-cp3', at: T0 + 5000 });
    expect(inFlightHosts(later, T0 + 6000)).toEqual([
      { name: 'legacy-1', elapsedMs: 6000, slow: true },
      { name: 'prod-cp2', elapsedMs: 6000, slow: true },
      { name: 'prod-cp3', elapsedMs: 1000, slow: false },
    ]);
  });

  it('measures slowness against the median of the hosts done, whatever order they finished in', () => {
    let state = initialLiveState(targets, T0);
    for (const [host, ms] of [
      ['stage-1', 4000],
      ['stage-2', 1000],
      ['prod-cp1', 9000],
      ['prod-cp2', 2000],
      ['prod-cp3', 3000],
    ] as const) {
      state = applyScanEvent(state, { type: 'host-finished', outcome: outcome(host, ms) });
    }
    expect(slowAfterMs(state)).toBe(3 * 3000);
    expect(state.durations).toEqual([1000, 2000, 3000, 4000, 9000]);
  });

  it('keeps the last few notes', () => {
    const state = ['a', 'b', 'c', 'd'].reduce(addNote, initialLiveState(targets, T0));
    expect(state.notes).toEqual(['b', 'c', 'd']);
  });
});

describe('live view', () => {
  it('shows progress, time, counts, hosts in flight and failing controls', () => {
    const frame = render(<LiveView state={midScan()} now={T0 + 6000} benchmark="CIS 1.12" width={80} height={24} color={false} />).lastFrame()!;
    const lines = frame.split('\n');
    expect(lines[0]).toBe('fleetbench · scanning 7 hosts in 4 clusters · CIS 1.12');
    expect(lines[1]).toMatch(/^█+░+ 3\/7 hosts · 2 in flight · 0 unreachable$/);
    expect(lines[2]).toBe('elapsed 6.0 s · about 8.0 s left');
    expect(lines[3]).toBe('findings (1/4 clusters): 3 PASS  2 FAIL  3 WARN  0 N/A  0 ERROR');
    expect(lines.slice(4, 7)).toEqual([
      'in flight (2)',
      expect.stringMatching(/^ {2}legacy-1 +6\.0 s {2}slow$/),
      expect.stringMatching(/^ {2}prod-cp2 +6\.0 s {2}slow$/),
    ]);
    expect(lines.slice(7)).toEqual([
      'failing controls (2)',
      '  FAIL 2.2     stage-1 · --client-cert-auth argument is set to true',
      '  FAIL 2.3     stage-1 · --auto-tls argument is not set to true',
    ]);
  });

  it('fits a short terminal, saying how many failing controls it leaves out', () => {
    let state = midScan();
    for (let i = 0; i < 12; i++) {
      state = applyScanEvent(state, {
        type: 'cluster-evaluated',
        cluster: `c${i}`,
        findings: [{ ...result.findings[0]!, ruleId: `rule-${i}`, control: `9.${i}`, status: 'FAIL' }],
      });
    }
    const lines = render(<LiveView state={state} now={T0 + 1000} benchmark="CIS 1.12" width={80} height={12} color={false} />)
      .lastFrame()!
      .split('\n');
    expect(lines).toHaveLength(11);
    expect(lines.filter((l) => l.startsWith('  FAIL'))).toHaveLength(2);
    expect(lines.at(-1)).toBe('  … and 12 more');
  });

  it('shows a hostile host name and note escaped', () => {
    let state = applyScanEvent(initialLiveState(targets, T0), { type: 'host-started', host: `evil${HOSTILE_RAW}`, at: T0 });
    state = addNote(state, `host key recorded for evil${HOSTILE_RAW}`);
    const frame = render(<LiveView state={state} now={T0 + 500} benchmark="CIS 1.12" width={100} height={24} color={false} />).lastFrame()!;
    expect(frame).toContain(`evil${HOSTILE_SHOWN}`);
    expect(frame).toContain(`host key recorded for evil${HOSTILE_SHOWN}`);
    expect(foreignEscapes(frame)).toEqual([]);
  });
});
