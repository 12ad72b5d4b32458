import { html } from './markup.js';
import type { Html } from './markup.js';

// Rule texts mark commands and settings the Markdown way, `like this`: the report shows them as
// code. Only the backticks are read; the text inside is escaped like any other (a saved result
// file can carry any remediation text). A backtick without its pair stays a backtick.

const CODE_SPAN = /`([^`\n]+)`/g;

export function withInlineCode(text: string): Html {
  const parts: (Html | string)[] = [];
  let last = 0;
  for (const match of text.matchAll(CODE_SPAN)) {
    parts.push(text.slice(last, match.index), html`<code>${match[1]}</code>`);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return html`${parts}`;
}
