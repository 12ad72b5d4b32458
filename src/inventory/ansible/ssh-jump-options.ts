// Finds how ssh command-line options reach the host, as ssh itself reads them: `-J spec`,
// `-Jspec`, `-o ProxyJump=spec`, `-o "ProxyJump spec"`, `-oProxyJump=spec`, and
// `-o ProxyCommand=...`. Everything else is skipped, but skipped the way ssh parses it (a flag
// that takes a value takes the next word), so that a value such as `-i -J` cannot be misread as
// an option.

/**
 * What ssh's options say so far (ssh.c and readconf.c): the raw ProxyJump spec (or `none`) and
 * ProxyCommand (or `none`). A -J or ProxyJump that applies also sets ProxyCommand to `none`.
 */
export interface ProxyOptions {
  jump?: string;
  proxyCommand?: string;
}

// ssh's flags that take a value (its getopt string: "b:c:e:i:l:m:o:p:B:D:E:F:I:J:L:O:P:Q:R:S:w:W:").
const FLAGS_WITH_VALUE = new Set('bceilmopBDEFIJLOPQRSwW');

// An option as `-o` takes it: a keyword, then "=" or whitespace, then the value.
const OPTION = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/s;

/**
 * Reads `words` into `state` as ssh would, the first value obtained winning. A problem when ssh
 * would refuse the options: a second -J, or -J after a ProxyCommand.
 */
export function readProxyOptions(words: readonly string[], state: ProxyOptions): { problem: string } | undefined {
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    if (!word.startsWith('-') || word.length < 2) continue;
    for (let at = 1; at < word.length; at += 1) {
      const flag = word[at] as string;
      if (!FLAGS_WITH_VALUE.has(flag)) continue;
      let value = word.slice(at + 1);
      if (value === '') {
        const next = words[i + 1];
        if (next === undefined) return { problem: `ends with -${flag}, which needs a value` };
        value = next;
        i += 1;
      }
      if (flag === 'J') {
        const problem = jumpFlag(value, state);
        if (problem !== undefined) return problem;
      } else if (flag === 'o') {
        option(value, state);
      }
      break;
    }
  }
  return undefined;
}

/** ssh.c's -J: only one, never with a ProxyCommand; `none` turns ProxyJump off without touching ProxyCommand. */
function jumpFlag(spec: string, state: ProxyOptions): { problem: string } | undefined {
  if (state.jump !== undefined) return { problem: 'gives a jump host twice (ssh accepts one -J; separate several hops with commas)' };
  if (state.proxyCommand !== undefined) return { problem: 'gives -J after a ProxyCommand, which ssh refuses' };
  state.jump = spec;
  if (spec.toLowerCase() !== 'none') state.proxyCommand = 'none';
  return undefined;
}

/** readconf.c for `-o ProxyJump` and `-o ProxyCommand`: whichever comes first rules the other out. */
function option(text: string, state: ProxyOptions): void {
  const match = OPTION.exec(text);
  if (match === null) return;
  const keyword = (match[1] as string).toLowerCase();
  const value = (match[2] as string).trim();
  if (keyword === 'proxycommand') {
    state.proxyCommand ??= value;
  } else if (keyword === 'proxyjump') {
    if (value.toLowerCase() === 'none') {
      state.jump ??= 'none';
    } else if (state.jump === undefined && state.proxyCommand === undefined) {
      state.jump = value;
      state.proxyCommand = 'none';
    }
  }
}
