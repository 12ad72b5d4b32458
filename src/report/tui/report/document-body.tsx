import { Box } from 'ink';
import { Line } from '../line.js';
import type { DocumentLine } from './finding-document.js';

/** One page of a document, padded so the footer stays at the bottom. */
export function DocumentBody({ lines, top, page, color }: { lines: DocumentLine[]; top: number; page: number; color: boolean }) {
  const visible = lines.slice(top, top + page);
  return (
    <Box flexDirection="column">
      {visible.map((segments, i) => (
        <Line key={top + i} segments={segments} color={color} />
      ))}
      {Array.from({ length: page - visible.length }, (_, i) => (
        <Line key={`blank-${i}`} segments={[]} color={color} />
      ))}
    </Box>
  );
}
