import { shellQuote } from '../shell-quote.js';

// More files for the configuration model, read in the probe's own shell after its `done`: the
// files under a data directory or a config file that only parsing told (k3s --data-dir /opt/k3s,
// an EnvironmentFile=/etc/default/%N). The probe's functions and state persist in that shell: this
// sets its list L to `R path` (read) and `S path` (stat) lines, adds the entries of directories
// through its own `pick`, and runs its own `round` (up to four times, following what the files
// name) with every trust check of the first pass; paths it has already reported are skipped.
// Its answer ends with a `files-done` record and is parsed with the probe's (parse-output.ts).
// Nothing of a host reaches a place where the shell would run or split it: each path is one
// single-quoted word, and a path with a control character is not asked at all.

export interface FileRequest {
  /** Files to read, as the probe reads files. */
  read: string[];
  /** Files and directories to examine (stat only). */
  stat: string[];
  /** Directories whose entries matching `names` (fleetbench's own patterns, or an EnvironmentFile= wildcard) are to be read. */
  pick: { dir: string; names: readonly string[] }[];
}

const ASKABLE = /^\/[^\0-\x1f\x7f]{0,4095}$/;
/** A name pattern for pick(): glob characters and plain name characters only (no /, quote, $ or space). */
const PATTERN = /^[A-Za-z0-9*?.[\]_@:+-]+$/;

/** Whether a path can be asked for at all: absolute, no control character, not absurdly long. */
function askable(path: string): boolean {
  return ASKABLE.test(path);
}

/** The shell text for the probe's shell, or undefined when there is nothing to ask. */
export function fileFollowUp(request: FileRequest): string | undefined {
  const lines = [...request.read.filter(askable).map((p) => `R ${p}`), ...request.stat.filter(askable).map((p) => `S ${p}`)];
  const picks = request.pick.filter((p) => askable(p.dir) && p.names.length > 0 && p.names.every((n) => PATTERN.test(n)));
  if (lines.length === 0 && picks.length === 0) return undefined;
  const commands = [
    `L=${shellQuote(lines.join('\n'))}`,
    ...picks.map((p) => `pick ${shellQuote(p.dir)} ${p.names.map(shellQuote).join(' ')}`),
    'FB_I=0',
    'while [ -n "$L" ] && [ $FB_I -lt 4 ]; do round; FB_I=$((FB_I + 1)); done',
    'r files-done',
  ];
  // As the probe itself, with stdin from /dev/null: nothing in it may swallow what comes next.
  return `{ ${commands.join('; ')}; } </dev/null\n`;
}

/** The request a follow-up text asks, and how long the text is: for the in-process fleet, which answers it. */
export function requestOfFollowUp(text: string): { request: FileRequest; length: number } | undefined {
  const word = String.raw`'(?:[^']|'\\'')*'`;
  const match = new RegExp(String.raw`^\{ L=(${word})((?:; pick (?:${word} ?)+)*); FB_I=0; [^\n]*; r files-done; \} </dev/null\n`).exec(text);
  if (!match) return undefined;
  const unquote = (quoted: string) => quoted.slice(1, -1).replaceAll(`'\\''`, "'");
  const request: FileRequest = { read: [], stat: [], pick: [] };
  for (const line of unquote(match[1]!).split('\n')) {
    if (line.startsWith('R ')) request.read.push(line.slice(2));
    else if (line.startsWith('S ')) request.stat.push(line.slice(2));
  }
  for (const pick of match[2]!.split('; pick ').slice(1)) {
    const words = [...pick.matchAll(new RegExp(word, 'g'))].map((m) => unquote(m[0]));
    request.pick.push({ dir: words[0]!, names: words.slice(1) });
  }
  return { request, length: match[0].length };
}
