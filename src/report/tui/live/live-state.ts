import type { ScanEvent } from '../../../scan/scan.js';
import type { StatusCounts } from '../../summary.js';
import { countStatuses } from '../../summary.js';

// What the live view knows while a scan runs, folded from scan events. Findings arrive a cluster
// at a time (cluster size needs every member), so the counts cover the clusters evaluated so far.

export interface LiveTarget {
  name: string;
  cluster: string;
}

export interface FailingControl {
  ruleId: string;
  control: string;
  title: string;
  hosts: string[];
}

export interface LiveState {
  startedAt: number;
  total: number;
  clusters: number;
  /** Host name → when its scan started, for the hosts being scanned now. */
  inFlight: Readonly<Record<string, number>>;
  finished: number;
  unreachable: number;
  /**
   * How long each finished host took, shortest first: what "slow" is measured against. Kept
   * sorted as hosts finish, so that the median is read, not sorted for, on every frame.
   */
  durations: readonly number[];
  evaluatedClusters: number;
  counts: StatusCounts;
  /** Controls that failed somewhere, in the order they first failed. */
  failing: readonly FailingControl[];
  /** The latest messages for the person watching (host keys recorded, interruption). */
  notes: readonly string[];
}

/** Below this nobody is slow: every host takes a moment to connect and run the probe. */
export const SLOW_FLOOR_MS = 5000;
/** A host is slow when it takes this many times the median of the hosts already done. */
const SLOW_FACTOR = 3;
const NOTES_KEPT = 3;

export function initialLiveState(targets: readonly LiveTarget[], now: number): LiveState {
  return {
    startedAt: now,
    total: targets.length,
    clusters: new Set(targets.map((t) => t.cluster)).size,
    inFlight: {},
    finished: 0,
    unreachable: 0,
    durations: [],
    evaluatedClusters: 0,
    counts: countStatuses([]),
    failing: [],
    notes: [],
  };
}

export function applyScanEvent(state: LiveState, event: ScanEvent): LiveState {
  switch (event.type) {
    case 'host-started':
      return { ...state, inFlight: { ...state.inFlight, [event.host]: event.at } };
    case 'host-finished': {
      const { [event.outcome.name]: _finished, ...inFlight } = state.inFlight;
      return {
        ...state,
        inFlight,
        finished: state.finished + 1,
        unreachable: state.unreachable + (event.outcome.reached ? 0 : 1),
        durations: insertSorted(state.durations, event.outcome.durationMs),
      };
    }
    case 'cluster-evaluated': {
      const counts = { ...state.counts };
      for (const finding of event.findings) counts[finding.status] += 1;
      const failing = [...state.failing];
      for (const finding of event.findings.filter((f) => f.status === 'FAIL')) {
        const index = failing.findIndex((c) => c.ruleId === finding.ruleId);
        if (index < 0) failing.push({ ruleId: finding.ruleId, control: finding.control, title: finding.title, hosts: [finding.host] });
        else failing[index] = { ...failing[index]!, hosts: [...failing[index]!.hosts, finding.host] };
      }
      return { ...state, counts, failing, evaluatedClusters: state.evaluatedClusters + 1 };
    }
  }
}

export function addNote(state: LiveState, note: string): LiveState {
  return { ...state, notes: [...state.notes, note].slice(-NOTES_KEPT) };
}

/** Time left at the pace so far; unknown until a host has finished. Concurrency is in the pace. */
export function remainingMs(state: LiveState, now: number): number | undefined {
  if (state.finished === 0) return undefined;
  return ((now - state.startedAt) / state.finished) * (state.total - state.finished);
}

export function slowAfterMs(state: LiveState): number {
  const { durations } = state;
  const median = durations.length === 0 ? 0 : durations[Math.floor(durations.length / 2)]!;
  return Math.max(SLOW_FLOOR_MS, SLOW_FACTOR * median);
}

/** A copy of ascending `sorted` with `value` in its place. */
function insertSorted(sorted: readonly number[], value: number): number[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return [...sorted.slice(0, low), value, ...sorted.slice(low)];
}

export interface InFlightHost {
  name: string;
  elapsedMs: number;
  slow: boolean;
}

/** Hosts being scanned now, longest-running first: the slow ones are the ones to see. */
export function inFlightHosts(state: LiveState, now: number): InFlightHost[] {
  const slowAfter = slowAfterMs(state);
  return Object.entries(state.inFlight)
    .map(([name, startedAt]) => ({ name, elapsedMs: now - startedAt, slow: now - startedAt > slowAfter }))
    .sort((a, b) => b.elapsedMs - a.elapsedMs || a.name.localeCompare(b.name));
}
