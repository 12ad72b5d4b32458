// A small POSIX shell lexer: enough to read the command strings of `sh -c "..."` wrappers
// without ever running them. `$NAME` and `${NAME}` of variables whose values are known are
// substituted; every other expansion the shell would perform (parameters, `$(cmd)`, `cmd`,
// `$((...))`, positional parameters, `~`, pathname patterns, bash's `{a,b}`) is kept as written
// and flagged: the model cannot evaluate it. An unquoted one may also become zero or several words
// (field splitting, pathname expansion, brace expansion: POSIX XCU 2.6, bash "Brace Expansion").

export interface Word {
  text: string;
  /** The word contains an expansion whose value is not known here. */
  expands: boolean;
  /** The shell may turn the word into zero or several words (an unquoted expansion or pattern, "$@"). */
  splits: boolean;
}

/** Simple commands, split at `;`, `&`, `&&`, `||`, `|` and newlines. `known` are variables whose values are known. */
export function splitCommands(source: string, known: Readonly<Record<string, string>> = {}): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let text = '';
  let inWord = false;
  let expands = false;
  let splits = false;
  // The unquoted literal characters of the word, for tilde, pathname and brace expansion.
  let bare = '';
  // The word after a redirection operator is its target, not an argument.
  let redirectTarget = false;
  let i = 0;

  const endWord = () => {
    // Tilde expansion at the start and after `=` (bash, and every shell for assignments).
    if (/^~|=~/.test(bare)) expands = true;
    if (/[*?[]|\{[^{}]*(,|\.\.)[^{}]*\}/.test(bare)) {
      expands = true;
      splits = true;
    }
    if (inWord && !redirectTarget) words.push({ text, expands, splits });
    if (inWord) redirectTarget = false;
    text = '';
    bare = '';
    inWord = false;
    expands = false;
    splits = false;
  };
  // Appends the expansion source[i, end) to the word: its value when known, else as written.
  const expansion = (end: number, quoted: boolean) => {
    const written = source.slice(i, end);
    const name = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})$/.exec(written);
    const value = name ? known[(name[1] ?? name[2])!] : undefined;
    if (value !== undefined && (quoted || !/[\s*?[]/.test(value))) {
      text += value;
    } else {
      text += written;
      expands = true;
      splits ||= !quoted || /^\$(\{)?@/.test(written);
    }
    bare += '\0';
    i = end;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
    redirectTarget = false;
  };

  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      if (source[i + 1] === '\n') {
        i += 2;
        continue;
      }
      text += source[i + 1] ?? '';
      bare += '\0';
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const close = source.indexOf("'", i + 1);
      const end = close < 0 ? source.length : close;
      text += source.slice(i + 1, end);
      bare += '\0';
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i += 1;
      inWord = true;
      while (i < source.length && source[i] !== '"') {
        if (source[i] === '\\' && i + 1 < source.length && '$`"\\\n'.includes(source[i + 1]!)) {
          if (source[i + 1] !== '\n') text += source.charAt(i + 1);
          i += 2;
        } else if ((source[i] === '$' && expansionEnd(source, i) > i + 1) || source[i] === '`') {
          expansion(expansionEnd(source, i), true);
        } else {
          text += source.charAt(i);
          i += 1;
        }
      }
      bare += '\0';
      i += 1;
    } else if ((c === '$' && expansionEnd(source, i) > i + 1) || c === '`') {
      inWord = true;
      expansion(expansionEnd(source, i), false);
    } else if (c === '<' || c === '>') {
      if (inWord && /^\d+$/.test(text)) {
        text = '';
        inWord = false;
      }
      endWord();
      while (i < source.length && '<>&|'.includes(source[i]!)) i += 1;
      const fd = /^\d+|^-/.exec(source.slice(i));
      if (fd && source[i - 1] === '&') i += fd[0].length;
      else redirectTarget = true;
    } else if (c === '#' && !inWord) {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (c === ';' || c === '&' || c === '|' || c === '\n') {
      endCommand();
      i += 1;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i += 1;
    } else {
      text += c;
      bare += c;
      inWord = true;
      i += 1;
    }
  }
  endCommand();
  return commands;
}

/** Index just past the expansion starting at `start` (`$NAME`, `${...}`, `$(...)`, `` `...` ``). */
function expansionEnd(source: string, start: number): number {
  if (source[start] === '`') {
    const close = source.indexOf('`', start + 1);
    return close < 0 ? source.length : close + 1;
  }
  const next = source[start + 1];
  if (next === '{' || next === '(') {
    const open = next;
    const close = open === '{' ? '}' : ')';
    let depth = 0;
    for (let i = start + 1; i < source.length; i++) {
      if (source[i] === open) depth += 1;
      else if (source[i] === close && --depth === 0) return i + 1;
    }
    return source.length;
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(source.slice(start + 1));
  return start + 1 + (name ? name[0].length : 0);
}

/** `NAME=value` as a shell assignment word. */
export function assignment(word: string): { name: string; value: string } | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(word);
  return match ? { name: match[1]!, value: match[2]! } : undefined;
}
