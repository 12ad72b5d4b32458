import { Text } from 'ink';
import type { Tone } from './style.js';
import { toneProps } from './style.js';

/** A piece of a line, already fitted (and so escaped) by `fit`, `clip` or `wrapText`. */
export interface Segment {
  text: string;
  tone?: Tone;
}

interface LineProps {
  segments: Segment[];
  color: boolean;
  selected?: boolean;
}

/** One screen line. Truncating at the edge keeps the layout when a line is wider than counted. */
export function Line({ segments, color, selected = false }: LineProps) {
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {segments.length === 0 ? ' ' : segments.map((segment, i) => (
        <Text key={i} {...toneProps(segment.tone, color)}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}
