// Text from hosts is hostile: process arguments and file contents can carry escape sequences
// that rewrite a terminal (CVE-2021-25743). Everything host-supplied goes through here before it
// reaches a screen or a log: control characters become visible escapes instead of acting.

// C0 controls, DEL, C1 controls, and Unicode bidirectional overrides that reorder what is shown.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(char: string): string {
  const code = char.codePointAt(0)!;
  if (char === '\n') return '\\n';
  if (char === '\t') return '\\t';
  if (char === '\r') return '\\r';
  if (char === '\u001b') return '\\e';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** For one line of a table: every control character, newline and tab included, is shown escaped. */
export function safeLine(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** For multi-line text (evidence, file excerpts): newlines and tabs are kept, the rest escaped. */
export function safeBlock(text: string): string {
  return text.replace(UNSAFE, (char) => (char === '\n' || char === '\t' ? char : escape(char)));
}
