// Host and cluster patterns in waiver files, in the shell's spelling that operators already know:
// `*` stands for any run of characters (none included), `?` for exactly one, everything else for
// itself. Deliberately no character classes or braces: a waiver widens what passes an audit, so
// its scope should be obvious from reading it.
import { globMatch } from '../glob.js';

/** Whether `name` matches `pattern` as a whole, case-sensitively, as inventory names are written. */
export function matchesGlob(pattern: string, name: string): boolean {
  return globMatch(name, pattern);
}
