// Host and cluster patterns in waiver files, in the shell's spelling that operators already know:
// `*` stands for any run of characters (none included), `?` for exactly one, everything else for
// itself. Deliberately no character classes or braces: a waiver widens what passes an audit, so
// its scope should be obvious from reading it.

/** Whether `name` matches `pattern` as a whole, case-sensitively, as inventory names are written. */
export function matchesGlob(pattern: string, name: string): boolean {
  return globRegExp(pattern).test(name);
}

function globRegExp(pattern: string): RegExp {
  const source = Array.from(pattern, (char) => {
    if (char === '*') return '[^]*';
    if (char === '?') return '[^]';
    return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }).join('');
  return new RegExp(`^${source}$`, 'u');
}
