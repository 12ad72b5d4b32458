import type { TextProps } from 'ink';
import type { Status } from '../../model.js';

// Colors carry meaning only as a second signal: every status is also spelled out, and the
// selected row also has a marker, so the views read the same with NO_COLOR or --no-color.

export type Tone = Status | 'heading' | 'dim' | 'accent';

const COLORED: Record<Tone, TextProps> = {
  FAIL: { color: 'red', bold: true },
  ERROR: { color: 'magenta', bold: true },
  WARN: { color: 'yellow' },
  PASS: { color: 'green' },
  NOT_APPLICABLE: { color: 'gray' },
  heading: { bold: true },
  dim: { dimColor: true },
  accent: { color: 'cyan' },
};

const PLAIN: Record<Tone, TextProps> = {
  FAIL: { bold: true },
  ERROR: { bold: true },
  WARN: {},
  PASS: {},
  NOT_APPLICABLE: {},
  heading: { bold: true },
  dim: {},
  accent: {},
};

export function toneProps(tone: Tone | undefined, color: boolean): TextProps {
  if (tone === undefined) return {};
  return (color ? COLORED : PLAIN)[tone];
}
