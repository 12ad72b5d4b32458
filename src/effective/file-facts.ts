import { listingKeys } from '../collect/host-paths.js';
import type { FileFact, HostSnapshot } from '../model.js';

// What the probe's report on a path allows fleetbench to say about it, so that nothing is called
// absent without a look that could have seen it.

/**
 * What a path is, as far as the probe saw: `not examined` at all, `absent`, `text`, a `directory`,
 * or why it could not be seen or read (any other string).
 */
export function factSays(fact: FileFact | undefined): string {
  if (!fact) return 'not examined';
  if (!fact.exists) return fact.unreadable ? `cannot be seen (${fact.unreadable})` : 'absent';
  if (fact.type === 'directory') return 'directory';
  if (fact.content !== undefined) return 'text';
  return `could not be read (${fact.unreadable ?? 'no content'})`;
}

/** Whether the probe (or a follow-up) listed `dir` for every one of `names`. */
export function wasListed(snapshot: Pick<HostSnapshot, 'listed'>, dir: string, names: readonly string[]): boolean {
  return listingKeys({ dir, names }).every((key) => snapshot.listed.includes(key));
}

/**
 * Whether the probe could list this directory, or why not. Root can; an unprivileged probe only
 * when everyone may read and search it (its owner and group are not its own, as far as it knows).
 */
export function couldList(dir: FileFact, snapshot: Pick<HostSnapshot, 'privilege'>): true | string {
  if (snapshot.privilege !== 'unprivileged') return true;
  if (dir.mode !== undefined && (dir.mode & 0o005) === 0o005) return true;
  const mode = dir.mode === undefined ? 'unknown mode' : `mode ${dir.mode.toString(8).padStart(4, '0')}`;
  return `${dir.path} (${mode}, ${dir.owner ?? dir.uid ?? '?'}:${dir.group ?? dir.gid ?? '?'}) cannot be listed without root: scan with --become, or set become in the inventory`;
}
