import { Box } from 'ink';
import type { Segment } from '../line.js';
import { Line } from '../line.js';
import { countSegments } from '../text/counts.js';
import { clip, fit } from '../text/fit.js';
import { shortTitle } from '../text/short-title.js';
import type { LiveState } from './live-state.js';
import { inFlightHosts, remainingMs } from './live-state.js';

export interface LiveViewProps {
  state: LiveState;
  now: number;
  /** e.g. `CIS 1.12`. */
  benchmark: string;
  width: number;
  height: number;
  color: boolean;
}

/** Lines that are always there: title, progress bar, time, counts. */
const FIXED = 4;
const IN_FLIGHT_SHOWN = 5;

/** The scan as it runs, never taller than the terminal (less Ink's trailing newline). */
export function LiveView({ state, now, benchmark, width, height, color }: LiveViewProps) {
  const lines: Segment[][] = [
    [{ text: clip(`fleetbench · scanning ${state.total} hosts in ${state.clusters} clusters · ${benchmark}`, width), tone: 'heading' }],
    progressLine(state, width),
    [{ text: clip(timeLine(state, now), width) }],
    [{ text: `findings (${state.evaluatedClusters}/${state.clusters} clusters): ` }, ...countSegments(state.counts)],
  ];
  let room = Math.max(0, height - 1 - FIXED);

  const flying = inFlightHosts(state, now);
  if (flying.length > 0 && room >= 2) {
    const shown = flying.slice(0, Math.min(IN_FLIGHT_SHOWN, room - 1));
    lines.push([{ text: `in flight (${flying.length})`, tone: 'heading' }]);
    for (const host of shown) {
      lines.push([
        { text: `  ${fit(host.name, Math.max(8, width - 20))} ${fit(seconds(host.elapsedMs), 8, 'right')}` },
        host.slow ? { text: '  slow', tone: 'WARN' } : { text: '' },
      ]);
    }
    room -= shown.length + 1;
  }

  const notes = state.notes.slice(-Math.max(0, room - 1));
  const failingRoom = room - (notes.length > 0 ? notes.length + 1 : 0);
  if (state.failing.length > 0 && failingRoom >= 2) {
    const fitting = state.failing.length <= failingRoom - 1 ? state.failing : state.failing.slice(0, failingRoom - 2);
    lines.push([{ text: `failing controls (${state.failing.length})`, tone: 'heading' }]);
    for (const control of fitting) {
      const hosts = control.hosts.length === 1 ? control.hosts[0]! : `${control.hosts.length} hosts (${control.hosts.join(', ')})`;
      lines.push([
        { text: '  ' },
        { text: 'FAIL', tone: 'FAIL' },
        { text: clip(` ${fit(control.control, 7)} ${hosts} · ${shortTitle(control.title)}`, width - 6) },
      ]);
    }
    if (fitting.length < state.failing.length) lines.push([{ text: `  … and ${state.failing.length - fitting.length} more`, tone: 'dim' }]);
  }
  if (notes.length > 0) {
    lines.push([{ text: 'notes', tone: 'heading' }]);
    for (const note of notes) lines.push([{ text: clip(`  ${note}`, width), tone: 'dim' }]);
  }

  return (
    <Box flexDirection="column" width={width}>
      {lines.slice(0, Math.max(1, height - 1)).map((segments, i) => (
        <Line key={i} segments={segments} color={color} />
      ))}
    </Box>
  );
}

function progressLine(state: LiveState, width: number): Segment[] {
  const summary = ` ${state.finished}/${state.total} hosts · ${Object.keys(state.inFlight).length} in flight · ${state.unreachable} unreachable`;
  const barWidth = Math.max(10, Math.min(40, width - summary.length - 2));
  const filled = state.total === 0 ? barWidth : Math.round((barWidth * state.finished) / state.total);
  return [{ text: '█'.repeat(filled), tone: 'accent' }, { text: '░'.repeat(barWidth - filled), tone: 'dim' }, { text: clip(summary, width - barWidth) }];
}

function timeLine(state: LiveState, now: number): string {
  const elapsed = `elapsed ${seconds(now - state.startedAt)}`;
  const left = remainingMs(state, now);
  if (state.finished === state.total) return `${elapsed} · done`;
  return left === undefined ? `${elapsed} · estimating time left…` : `${elapsed} · about ${seconds(left)} left`;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.floor(s % 60)} s`;
}
