// The syntax of systemd unit files, as systemd itself reads it (systemd-stable v256; v252 reads
// these the same way):
// - lines: src/shared/conf-parser.c config_parse(): comment lines start with # or ; (also inside
//   a continuation, where they are skipped), a line ending in an unescaped backslash continues on
//   the next with the backslash turned into a space, `Key=Value` with whitespace around both
//   stripped, sections in brackets;
// - words: src/basic/extract-word.c extract_first_word() with EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE
//   (Environment=, UnsetEnvironment=, ExecStart=): quotes anywhere in a word are removed, C escapes
//   are decoded (inside single quotes too), an unknown escape or an unclosed quote is a syntax error;
// - specifiers: src/core/unit-printf.c (%n, %N, %p, %P, %i, %I, %j, %J, %f, %%; systemd.unit(5)
//   "Specifiers"). The ones that depend on the host (%H, %m, %b, %h...) are not known here.

export interface UnitEntry {
  section: string;
  key: string;
  value: string;
  /** Line the assignment starts on. */
  line: number;
}

export function unitEntries(text: string): UnitEntry[] {
  const entries: UnitEntry[] = [];
  let section = '';
  let continuation: { text: string; line: number } | undefined;
  const parseLine = (joined: string, line: number) => {
    const stripped = joined.trim();
    if (stripped === '') return;
    if (stripped.startsWith('[')) {
      section = stripped;
      return;
    }
    const eq = stripped.indexOf('=');
    if (eq < 0) return;
    entries.push({ section, key: stripped.slice(0, eq).trim(), value: stripped.slice(eq + 1).trim(), line });
  };
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    if (/^[ \t]*[#;]/.test(line)) return;
    const joined = continuation ? continuation.text + line : line;
    const start = continuation?.line ?? index + 1;
    if (endsEscaped(joined)) {
      continuation = { text: `${joined.slice(0, -1)} `, line: start };
      return;
    }
    continuation = undefined;
    parseLine(joined, start);
  });
  // A continuation still open at the end of the file is parsed as it is (config_parse).
  if (continuation) parseLine(continuation.text, continuation.line);
  return entries;
}

function endsEscaped(text: string): boolean {
  let escaped = false;
  for (const c of text) escaped = escaped ? false : c === '\\';
  return escaped;
}

export type Extracted = { ok: true; word: string; rest: string } | { ok: true; word: undefined; rest: string } | { ok: false; error: string };

const WHITESPACE = ' \t\n\r';

/**
 * extract_first_word(): the next word of `text`. `cunescape`: C escapes are decoded (otherwise a
 * backslash keeps the next character as it is); `relax`: an unclosed quote ends the word instead
 * of being an error.
 */
export function extractWord(text: string, options: { cunescape: boolean; relax?: boolean }): Extracted {
  let i = 0;
  while (i < text.length && WHITESPACE.includes(text[i]!)) i++;
  if (i >= text.length) return { ok: true, word: undefined, rest: '' };
  let word = '';
  let quote = '';
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      if (i + 1 >= text.length) return options.relax ? { ok: true, word, rest: '' } : { ok: false, error: 'a trailing backslash' };
      if (!options.cunescape) {
        word += text.charAt(i + 1);
        i += 2;
        continue;
      }
      const escape = cunescapeOne(text, i + 1);
      if (!escape) return { ok: false, error: `an unknown escape \\${text[i + 1]}` };
      word += escape.text;
      i = escape.end;
      continue;
    }
    if (quote !== '') {
      if (c === quote) quote = '';
      else word += c;
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      i++;
      continue;
    }
    if (WHITESPACE.includes(c)) {
      while (i < text.length && WHITESPACE.includes(text[i]!)) i++;
      return { ok: true, word, rest: text.slice(i) };
    }
    word += c;
    i++;
  }
  if (quote !== '' && !options.relax) return { ok: false, error: `an unclosed ${quote}` };
  return { ok: true, word, rest: '' };
}

/** Every word of `text`, or the error of the first that cannot be read. */
export function extractWords(text: string, options: { cunescape: boolean; relax?: boolean }): { words: string[]; error?: string } {
  const words: string[] = [];
  let rest = text;
  for (;;) {
    const next = extractWord(rest, options);
    if (!next.ok) return { words, error: next.error };
    if (next.word === undefined) return { words };
    words.push(next.word);
    rest = next.rest;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' ' };

/** src/basic/escape.c cunescape_one(): the escape starting after a backslash at `at`. */
function cunescapeOne(text: string, at: number): { text: string; end: number } | undefined {
  const c = text[at];
  if (c === undefined) return undefined;
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { text: simple, end: at + 1 };
  const hex = (length: number) => {
    const digits = text.slice(at + 1, at + 1 + length);
    if (digits.length !== length || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
    const code = parseInt(digits, 16);
    if (code === 0) return undefined;
    return { text: String.fromCodePoint(code), end: at + 1 + length };
  };
  if (c === 'x') return hex(2);
  if (c === 'u') return hex(4);
  if (c === 'U') return hex(8);
  if (/[0-7]/.test(c)) {
    const digits = text.slice(at, at + 3);
    if (!/^[0-7]{3}$/.test(digits)) return undefined;
    const code = parseInt(digits, 8);
    return code === 0 ? undefined : { text: String.fromCharCode(code), end: at + 3 };
  }
  return undefined;
}

/**
 * What the specifiers stand for in a system unit (systemd.unit(5) "Specifiers"): those of its
 * name, the fixed directories of the system manager, and its user, which is root's.
 */
function unitSpecifiers(unit: string, fragment: string): Record<string, string> {
  const dot = unit.lastIndexOf('.');
  const name = dot < 0 ? unit : unit.slice(0, dot);
  const at = name.indexOf('@');
  const prefix = at < 0 ? name : name.slice(0, at);
  const instance = at < 0 ? '' : name.slice(at + 1);
  const dash = prefix.lastIndexOf('-');
  const last = dash < 0 ? prefix : prefix.slice(dash + 1);
  const unescaped = (text: string) => unescapeUnitName(text);
  return {
    n: unit,
    N: name,
    p: prefix,
    P: unescaped(prefix),
    i: instance,
    I: unescaped(instance),
    j: last,
    J: unescaped(last),
    f: `/${unescaped(at < 0 ? prefix : instance).replace(/^\/+/, '')}`,
    y: fragment,
    Y: fragment.slice(0, fragment.lastIndexOf('/')) || '/',
    C: '/var/cache',
    E: '/etc',
    L: '/var/log',
    S: '/var/lib',
    t: '/run',
    T: '/tmp',
    V: '/var/tmp',
    u: 'root',
    U: '0',
    g: 'root',
    G: '0',
    h: '/root',
    s: '/bin/sh',
  };
}

/** src/basic/unit-name.c unit_name_unescape(): `-` is `/`, `\xNN` a byte. */
function unescapeUnitName(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})|-/g, (_, hex?: string) => (hex === undefined ? '/' : String.fromCharCode(parseInt(hex, 16))));
}

// Specifiers systemd knows whose value depends on the host: not known here.
const HOST_SPECIFIERS = new Set('aAbBdHlmMoqvwW'.split(''));

export type Printed = { ok: true; value: string } | { ok: false; unknown: string } | { ok: false; error: string };

/** Expands the specifiers of `text` for `unit`, whose file is `fragment`: unit_full_printf() and friends. */
export function expandSpecifiers(text: string, unit: string, fragment: string): Printed {
  const table = unitSpecifiers(unit, fragment);
  let value = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '%') {
      value += c;
      continue;
    }
    const letter = text[i + 1];
    i++;
    if (letter === '%') value += '%';
    else if (letter !== undefined && table[letter] !== undefined) value += table[letter];
    else if (letter !== undefined && HOST_SPECIFIERS.has(letter)) return { ok: false, unknown: `%${letter}` };
    else return { ok: false, error: `the specifier %${letter ?? ''} does not exist (write %% for a %)` };
  }
  return { ok: true, value };
}

/** A variable name systemd accepts (src/basic/env-util.c env_name_is_valid: [A-Za-z_][A-Za-z0-9_]*). */
export function envNameIsValid(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
