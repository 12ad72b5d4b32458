// Splits a command-line fragment into words the way Ansible does for `ansible_ssh_common_args`
// and `ansible_ssh_extra_args` (Python's shlex.split, POSIX mode), so that fleetbench reads the
// same ssh options Ansible would pass. Nothing is expanded or run: `$HOME` stays `$HOME`.

export type ShellWords = { words: string[] } | { problem: string };

// Inside double quotes a backslash escapes only these, as in shlex.
const ESCAPED_IN_DOUBLE_QUOTES = new Set(['"', '\\']);

/** With `comments`, a `#` outside quotes ends the line, as shlex.split(comments=True) reads it. */
export function splitShellWords(text: string, options: { comments?: boolean } = {}): ShellWords {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (options.comments && ch === '#') {
      break;
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i += 1;
    } else if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return { problem: 'has a single quote that is never closed' };
      word = (word ?? '') + text.slice(i + 1, close);
      i = close + 1;
    } else if (ch === '"') {
      const quoted = readDoubleQuoted(text, i + 1);
      if (quoted === undefined) return { problem: 'has a double quote that is never closed' };
      word = (word ?? '') + quoted.text;
      i = quoted.end;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) return { problem: 'ends with a lone backslash' };
      word = (word ?? '') + text.charAt(i + 1);
      i += 2;
    } else {
      word = (word ?? '') + ch;
      i += 1;
    }
  }
  if (word !== undefined) words.push(word);
  return { words };
}

function readDoubleQuoted(text: string, start: number): { text: string; end: number } | undefined {
  let result = '';
  let i = start;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') return { text: result, end: i + 1 };
    const next = text[i + 1];
    if (ch === '\\' && next !== undefined && ESCAPED_IN_DOUBLE_QUOTES.has(next)) {
      result += next;
      i += 2;
    } else {
      result += ch;
      i += 1;
    }
  }
  return undefined;
}
