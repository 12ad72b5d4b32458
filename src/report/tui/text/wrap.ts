import { safeLine } from '../../terminal-text.js';

/**
 * Wraps one paragraph into lines of at most `width` code points, breaking at spaces when it can
 * and inside a word when it must (paths and base64 have no spaces). Newlines and other control
 * characters in the text are shown escaped, so a value stays one paragraph.
 */
export function wrapText(text: string, width: number): string[] {
  const chars = Array.from(safeLine(text));
  if (width <= 0) return [];
  if (chars.length === 0) return [''];
  const lines: string[] = [];
  let start = 0;
  while (start < chars.length) {
    if (chars.length - start <= width) {
      lines.push(chars.slice(start).join(''));
      break;
    }
    const window = chars.slice(start, start + width + 1);
    const space = window.lastIndexOf(' ');
    const end = space > 0 ? start + space : start + width;
    lines.push(chars.slice(start, end).join('').trimEnd());
    start = space > 0 ? end + 1 : end;
    while (chars[start] === ' ') start += 1;
  }
  return lines;
}
