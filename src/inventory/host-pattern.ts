// Host patterns: `cp[1:3].dc1.example`, `node[01:10]`, `etcd-[a:c]`, `w[1:10:2]`. Several
// ranges in one pattern give their cartesian product, leftmost range varying slowest, so
// the expansion reads in the same order as nested loops written left to right.

/** The most hosts one pattern may expand to: a typo such as `[1:1000000]` should fail, not stall a scan. */
export const MAX_HOSTS_PER_PATTERN = 100_000;

/** A pattern that cannot be expanded. `message` says why, to follow the pattern in a message. */
export class HostPatternError extends Error {
  override readonly name = 'HostPatternError';
}

interface Range {
  count: number;
  valueAt: (index: number) => string;
}

type Part = string | Range;

const RANGE_HELP = 'expected [start:end] or [start:end:step] with numbers ([1:3], zero-padded [01:10]) or single letters ([a:f])';

// Beyond 15 digits a bound is no longer an exact JavaScript number.
const MAX_BOUND_DIGITS = 15;

/** Expands a host pattern into host names, in order. Throws `HostPatternError`. */
export function expandHostPattern(pattern: string): string[] {
  const parts = splitPattern(pattern);
  // Counted before expanding, so an oversized pattern is refused without building it.
  const total = parts.reduce((n, part) => (typeof part === 'string' ? n : n * part.count), 1);
  if (total > MAX_HOSTS_PER_PATTERN) {
    throw new HostPatternError(`expands to ${total} hosts, more than the limit of ${MAX_HOSTS_PER_PATTERN} per pattern; split it into smaller ranges`);
  }
  let names = [''];
  for (const part of parts) {
    if (typeof part === 'string') {
      names = names.map((name) => name + part);
    } else {
      const values = Array.from({ length: part.count }, (_, i) => part.valueAt(i));
      names = names.flatMap((name) => values.map((value) => name + value));
    }
  }
  return names;
}

function splitPattern(pattern: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === ']') {
      throw new HostPatternError(`"]" at position ${i + 1} has no matching "["`);
    }
    if (ch !== '[') {
      literal += ch;
      i += 1;
      continue;
    }
    const close = pattern.indexOf(']', i + 1);
    const nextOpen = pattern.indexOf('[', i + 1);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      throw new HostPatternError(`"[" at position ${i + 1} is never closed with "]"`);
    }
    if (literal) parts.push(literal);
    literal = '';
    parts.push(parseRange(pattern.slice(i + 1, close)));
    i = close + 1;
  }
  if (literal) parts.push(literal);
  return parts;
}

function parseRange(body: string): Range {
  const text = JSON.stringify(`[${body}]`);
  const fields = body.split(':');
  const [start, end, stepText] = fields;
  if (fields.length < 2 || fields.length > 3 || start === undefined || end === undefined) {
    throw new HostPatternError(`bad range ${text}: ${RANGE_HELP}`);
  }
  const step = parseStep(text, stepText);
  if (/^\d+$/.test(start) && /^\d+$/.test(end)) return numericRange(text, start, end, step);
  if (isLetterPair(start, end)) return letterRange(text, start, end, step);
  throw new HostPatternError(`bad range ${text}: ${RANGE_HELP}`);
}

function isLetterPair(start: string, end: string): boolean {
  return (/^[a-z]$/.test(start) && /^[a-z]$/.test(end)) || (/^[A-Z]$/.test(start) && /^[A-Z]$/.test(end));
}

function parseStep(text: string, stepText: string | undefined): number {
  if (stepText === undefined) return 1;
  if (!/^\d+$/.test(stepText) || stepText.length > MAX_BOUND_DIGITS || Number(stepText) < 1) {
    throw new HostPatternError(`bad range ${text}: the step must be a whole number of at least 1`);
  }
  return Number(stepText);
}

function numericRange(text: string, start: string, end: string, step: number): Range {
  if (start.length > MAX_BOUND_DIGITS || end.length > MAX_BOUND_DIGITS) {
    throw new HostPatternError(`bad range ${text}: bounds may have at most ${MAX_BOUND_DIGITS} digits`);
  }
  // A leading zero asks for fixed-width names (node01..node10); with bounds of different
  // widths the intended width is ambiguous, so ask rather than guess.
  const padded = (start.length > 1 && start.startsWith('0')) || (end.length > 1 && end.startsWith('0'));
  if (padded && start.length !== end.length) {
    throw new HostPatternError(`bad range ${text}: zero-padded bounds must have the same number of digits, e.g. [01:10] or [001:100]`);
  }
  const from = Number(start);
  const to = Number(end);
  if (from > to) throw new HostPatternError(`bad range ${text}: start ${start} is after end ${end}`);
  const width = padded ? start.length : 0;
  return {
    count: Math.floor((to - from) / step) + 1,
    valueAt: (index) => String(from + index * step).padStart(width, '0'),
  };
}

function letterRange(text: string, start: string, end: string, step: number): Range {
  const from = start.charCodeAt(0);
  const to = end.charCodeAt(0);
  if (from > to) throw new HostPatternError(`bad range ${text}: start ${start} is after end ${end}`);
  return {
    count: Math.floor((to - from) / step) + 1,
    valueAt: (index) => String.fromCharCode(from + index * step),
  };
}
