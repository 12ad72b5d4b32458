// A small POSIX shell lexer: enough to read the command strings of `sh -c "..."` wrappers, the
// ExecStart= lines of systemd units and shell-style env files, without ever running them.
// Expansions ($VAR, $(cmd), `cmd`) are kept as written and flagged, never evaluated.

export interface Word {
  text: string;
  /** The word contains an expansion whose value is not known here. */
  expands: boolean;
}

/** Simple commands, split at `;`, `&`, `&&`, `||`, `|` and newlines. */
export function splitCommands(source: string): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let text = '';
  let inWord = false;
  let expands = false;
  // The word after a redirection operator is its target, not an argument.
  let redirectTarget = false;
  let i = 0;

  const endWord = () => {
    if (inWord && !redirectTarget) words.push({ text, expands });
    if (inWord) redirectTarget = false;
    text = '';
    inWord = false;
    expands = false;
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
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const close = source.indexOf("'", i + 1);
      const end = close < 0 ? source.length : close;
      text += source.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i += 1;
      inWord = true;
      while (i < source.length && source[i] !== '"') {
        if (source[i] === '\\' && i + 1 < source.length && '$`"\\\n'.includes(source[i + 1]!)) {
          if (source[i + 1] !== '\n') text += source.charAt(i + 1);
          i += 2;
        } else if (source[i] === '$' || source[i] === '`') {
          const end = expansionEnd(source, i);
          text += source.slice(i, end);
          expands = true;
          i = end;
        } else {
          text += source.charAt(i);
          i += 1;
        }
      }
      i += 1;
    } else if (c === '$' || c === '`') {
      const end = expansionEnd(source, i);
      text += source.slice(i, end);
      expands ||= end > i + 1;
      inWord = true;
      i = end;
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
