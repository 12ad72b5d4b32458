import { envNameIsValid } from './systemd-syntax.js';

// An EnvironmentFile= as systemd reads it: the state machine of src/basic/env-file.c
// parse_env_file_internal() (systemd-stable v256 L22-285), then strv_env_clean_with_callback()
// (src/core/execute.c exec_context_load_environment, v256 L760-826), which drops invalid names:
// - # or ; first on a line makes it a comment; there are no comments after a value (`A=b # c` is
//   "b # c"); whitespace around the key and around an unquoted value is dropped;
// - a line without = is ignored; `export A=b` has the key "export A", which is invalid: dropped;
// - 'single quotes' keep everything; in "double quotes" \" \\ \` \$ lose the backslash, any other
//   escape keeps it; a quoted part and what follows it join: `A="x" y` is "xy";
// - an unquoted backslash keeps the next character; a backslash before a newline joins lines;
// - no $VAR expansion at all.
// systemd 254 changed one thing: a comment line ending in a backslash no longer swallows the next
// line (NEWS "CHANGES WITH 254"); a line where that matters says so in its evidence.

export interface EnvFileValue {
  value: string;
  /** 1-based line the assignment starts on. */
  line: number;
  /** Set when systemd before 254 reads this line differently. */
  versionNote?: string;
}

export interface EnvFile {
  values: Map<string, EnvFileValue>;
  /** Assignments systemd drops ("Ignoring invalid environment assignment"). */
  invalid: { line: number; key: string }[];
}

const WHITESPACE = ' \t\n\r';
const NEWLINE = '\n\r';
const COMMENTS = '#;';
const SHELL_NEED_ESCAPE = '"\\`$';

type State = 'PRE_KEY' | 'KEY' | 'PRE_VALUE' | 'VALUE' | 'VALUE_ESCAPE' | 'SINGLE' | 'DOUBLE' | 'DOUBLE_ESCAPE' | 'COMMENT' | 'COMMENT_ESCAPE';

export function parseEnvFile(text: string): EnvFile {
  const result: EnvFile = { values: new Map(), invalid: [] };
  let state: State = 'PRE_KEY';
  let key = '';
  let value = '';
  let keyTrail = -1;
  let valueTrail = -1;
  let line = 1;
  let keyLine = 1;
  // The last comment line that ended in a backslash: before 254, systemd takes the next line for comment too.
  let escapedComment = -1;
  let noteForKey: string | undefined;

  const push = (chompValue: boolean) => {
    const name = keyTrail >= 0 ? key.slice(0, keyTrail) : key;
    const text = chompValue && valueTrail >= 0 ? value.slice(0, valueTrail) : value;
    if (envNameIsValid(name)) {
      const entry: EnvFileValue = { value: text, line: keyLine };
      if (noteForKey !== undefined) entry.versionNote = noteForKey;
      result.values.set(name, entry);
    } else result.invalid.push({ line: keyLine, key: name });
    key = '';
    value = '';
  };

  for (const c of text) {
    switch (state) {
      case 'PRE_KEY':
        if (COMMENTS.includes(c)) state = 'COMMENT';
        else if (!WHITESPACE.includes(c)) {
          state = 'KEY';
          keyTrail = -1;
          keyLine = line;
          noteForKey = escapedComment === line - 1 ? `systemd before 254 reads line ${line} as part of the comment before it` : undefined;
          key = c;
        }
        break;
      case 'KEY':
        if (NEWLINE.includes(c)) {
          state = 'PRE_KEY';
          key = '';
        } else if (c === '=') {
          state = 'PRE_VALUE';
          valueTrail = -1;
        } else {
          if (!WHITESPACE.includes(c)) keyTrail = -1;
          else if (keyTrail < 0) keyTrail = key.length;
          key += c;
        }
        break;
      case 'PRE_VALUE':
        if (NEWLINE.includes(c)) {
          state = 'PRE_KEY';
          push(false);
        } else if (c === "'") state = 'SINGLE';
        else if (c === '"') state = 'DOUBLE';
        else if (c === '\\') state = 'VALUE_ESCAPE';
        else if (!WHITESPACE.includes(c)) {
          state = 'VALUE';
          value += c;
        }
        break;
      case 'VALUE':
        if (NEWLINE.includes(c)) {
          state = 'PRE_KEY';
          push(true);
        } else if (c === '\\') {
          state = 'VALUE_ESCAPE';
          valueTrail = -1;
        } else {
          if (!WHITESPACE.includes(c)) valueTrail = -1;
          else if (valueTrail < 0) valueTrail = value.length;
          value += c;
        }
        break;
      case 'VALUE_ESCAPE':
        state = 'VALUE';
        if (!NEWLINE.includes(c)) value += c;
        break;
      case 'SINGLE':
        if (c === "'") state = 'PRE_VALUE';
        else value += c;
        break;
      case 'DOUBLE':
        if (c === '"') state = 'PRE_VALUE';
        else if (c === '\\') state = 'DOUBLE_ESCAPE';
        else value += c;
        break;
      case 'DOUBLE_ESCAPE':
        state = 'DOUBLE';
        if (SHELL_NEED_ESCAPE.includes(c)) value += c;
        else if (c !== '\n') value += `\\${c}`;
        break;
      case 'COMMENT':
        if (c === '\\') state = 'COMMENT_ESCAPE';
        else if (NEWLINE.includes(c)) state = 'PRE_KEY';
        break;
      case 'COMMENT_ESCAPE':
        // v254 and later: the escape means nothing; v252 stays in the comment past the newline.
        if (NEWLINE.includes(c)) {
          state = 'PRE_KEY';
          escapedComment = line;
        } else state = 'COMMENT';
        break;
    }
    if (c === '\n') line += 1;
  }
  if (state === 'PRE_VALUE' || state === 'VALUE' || state === 'VALUE_ESCAPE' || state === 'SINGLE' || state === 'DOUBLE' || state === 'DOUBLE_ESCAPE') {
    push(state === 'VALUE');
  }
  return result;
}
