/**
 * The glob of OpenSSH patterns and waiver files: `*` is any run of characters (none included),
 * `?` is any one character, everything else stands for itself, and the whole text must match.
 * Iterative, so no pattern can blow up on a long name.
 */
export function globMatch(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '*') {
      starP = p++;
      starT = t;
    } else if (c !== undefined && (c === '?' || c === text[t])) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * OpenSSH's pattern lists (ssh_config Host and Match, known_hosts): a name matches when one
 * plain pattern matches and no negated (`!`) one does.
 */
export function patternListMatch(text: string, patterns: Iterable<{ pattern: string; negated: boolean }>): boolean {
  let matched = false;
  for (const { pattern, negated } of patterns) {
    if (!globMatch(text, pattern)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}
