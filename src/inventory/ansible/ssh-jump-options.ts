// Finds the jump-host setting in ssh command-line options, as ssh itself would read them:
// `-J spec`, `-Jspec`, `-o ProxyJump=spec`, `-o "ProxyJump spec"`, `-oProxyJump=spec`.
// Everything else is skipped, but skipped the way ssh parses it (a flag that takes a value
// takes the next word), so that a value such as `-i -J` cannot be misread as an option.

/** How ssh would reach the host, as far as its options say. */
export type JumpOption =
  | { kind: 'jump'; spec: string }
  /** `ProxyJump none`: connect directly, even when a bastion is configured elsewhere. */
  | { kind: 'direct' }
  | { kind: 'problem'; problem: string };

// ssh's flags that take a value (its getopt string: "b:c:e:i:l:m:o:p:B:D:E:F:I:J:L:O:P:Q:R:S:w:W:").
const FLAGS_WITH_VALUE = new Set('bceilmopBDEFIJLOPQRSwW');

// An option as `-o` takes it: a keyword, then "=" or whitespace, then the value.
const OPTION = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/s;

/**
 * The jump setting in `words`, or undefined when they set none. When several are given the
 * first wins, as ssh uses the first value it obtains for an option. A ProxyCommand is a
 * problem wherever it appears: it is a shell command, and fleetbench never runs one.
 */
export function jumpOption(words: readonly string[]): JumpOption | undefined {
  let found: JumpOption | undefined;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    if (!word.startsWith('-') || word.length < 2) continue;
    for (let at = 1; at < word.length; at += 1) {
      const flag = word[at] as string;
      if (!FLAGS_WITH_VALUE.has(flag)) continue;
      let value = word.slice(at + 1);
      if (value === '') {
        const next = words[i + 1];
        if (next === undefined) return { kind: 'problem', problem: `ends with -${flag}, which needs a value` };
        value = next;
        i += 1;
      }
      const option = flag === 'J' ? jumpValue(value) : flag === 'o' ? fromOption(value) : undefined;
      if (option?.kind === 'problem') return option;
      found ??= option;
      break;
    }
  }
  return found;
}

function fromOption(text: string): JumpOption | undefined {
  const match = OPTION.exec(text);
  if (match === null) return undefined;
  const keyword = (match[1] as string).toLowerCase();
  const value = (match[2] as string).trim();
  if (keyword === 'proxyjump') return jumpValue(value);
  if (keyword === 'proxycommand' && value.toLowerCase() !== 'none') {
    return {
      kind: 'problem',
      problem:
        'sets ProxyCommand, which fleetbench does not support: it is a shell command and fleetbench never runs commands from an inventory; reach the host through a jump host with -J user@bastion:port or -o ProxyJump=user@bastion:port instead',
    };
  }
  return undefined;
}

function jumpValue(spec: string): JumpOption {
  return spec.toLowerCase() === 'none' ? { kind: 'direct' } : { kind: 'jump', spec };
}
