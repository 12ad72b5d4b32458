import { Text } from 'ink';
import { safeLine } from '../terminal-text.js';
import type { Tone } from './style.js';
import { toneProps } from './style.js';

/** A piece of a line, fitted (and so escaped, for its width to be right) by `fit`, `clip` or `wrapText`. */
export interface Segment {
  text: string;
  tone?: Tone;
}

interface LineProps {
  segments: Segment[];
  color: boolean;
  selected?: boolean;
}

/**
 * One screen line. Truncating at the edge keeps the layout when a line is wider than counted.
 * Every segment is escaped here, where it reaches the screen, whether or not it was fitted: a
 * no-op on fitted text, and no view can draw a raw escape sequence by forgetting to fit.
 */
export function Line({ segments, color, selected = false }: LineProps) {
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {segments.length === 0
        ? ' '
        : segments.map((segment, i) => (
            <Text key={i} {...toneProps(segment.tone, color)}>
              {safeLine(segment.text)}
            </Text>
          ))}
    </Text>
  );
}
