// Text from hosts is hostile: process arguments and file contents can carry escape sequences
// that rewrite a terminal (CVE-2021-25743). So is every string of a saved result file, which
// anyone can write. Everything untrusted goes through here before it reaches a screen or a log:
// control characters become visible escapes instead of acting.

// C0 controls, DEL, C1 controls (U+009B is a one-byte CSI to some terminals), and Unicode
// bidirectional marks and overrides that reorder what is shown.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Every unsafe character replaced by what `escape` makes of it: each medium spells escapes its own way. */
export function replaceUnsafe(text: string, escape: (char: string) => string): string {
  return text.replace(UNSAFE, escape);
}

/** `\u202e`: the spelling JSON, JavaScript and these escapes share for a character of the BMP. */
export function unicodeEscape(char: string): string {
  return `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`;
}

function escape(char: string): string {
  const code = char.codePointAt(0)!;
  if (char === '\n') return '\\n';
  if (char === '\t') return '\\t';
  if (char === '\r') return '\\r';
  if (char === '\u001b') return '\\e';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : unicodeEscape(char);
}

/** For one line of a table: every control character, newline and tab included, is shown escaped. */
export function safeLine(text: string): string {
  return replaceUnsafe(text, escape);
}

/** For multi-line text (evidence, file excerpts): newlines and tabs are kept, the rest escaped. */
export function safeBlock(text: string): string {
  return replaceUnsafe(text, (char) => (char === '\n' || char === '\t' ? char : escape(char)));
}

/**
 * A line (or message) from a template whose every interpolated value is shown with safeLine, so
 * that no value can act on the terminal or break the line, whatever field it comes from.
 */
export function escaped(strings: TemplateStringsArray, ...values: (string | number | undefined)[]): string {
  return strings.reduce((text, literal, i) => text + safeLine(String(values[i - 1])) + literal);
}
