import { groupBy } from '../../group-by.js';
import type { Target } from '../../model.js';

// How a fleet is shared between threads. A cluster stays in one thread: it is judged once all its
// hosts are done, from what they all returned, and its member list is asked once.

/** Hosts per thread below which another thread costs more (loading the code, ~0.2 s of CPU) than it saves. */
const MIN_HOSTS_PER_THREAD = 100;

/**
 * How many threads to scan `targets` with: `requested` if given, otherwise one per core with at
 * least MIN_HOSTS_PER_THREAD hosts each; never more than one per cluster, nor than the hosts
 * scanned at once (each thread scans at least one).
 */
export function threadsFor(targets: readonly Target[], cores: number, concurrency: number, requested?: number): number {
  const clusters = new Set(targets.map((target) => target.cluster)).size;
  const wanted = requested ?? Math.min(cores, Math.floor(targets.length / MIN_HOSTS_PER_THREAD));
  return Math.max(1, Math.min(wanted, clusters, concurrency));
}

/**
 * `targets` in `parts` groups of whole clusters, as even in hosts as can be (largest cluster first,
 * each to the group with fewest hosts); each group keeps the inventory's order.
 */
export function partition(targets: readonly Target[], parts: number): Target[][] {
  const clusters = [...groupBy(targets, (target) => target.cluster).values()].sort((a, b) => b.length - a.length);
  const sizes = new Array<number>(parts).fill(0);
  const partOf = new Map<string, number>();
  for (const members of clusters) {
    const smallest = sizes.indexOf(Math.min(...sizes));
    sizes[smallest]! += members.length;
    partOf.set(members[0]!.cluster, smallest);
  }
  const groups = Array.from({ length: parts }, (): Target[] => []);
  for (const target of targets) groups[partOf.get(target.cluster)!]!.push(target);
  return groups.filter((group) => group.length > 0);
}

/**
 * `total` hosts at once shared between groups in proportion to their hosts, at most a group's
 * hosts, never more than `total` in all (what rounding leaves goes to the largest groups); at
 * least one each, so there are at most `total` groups (threadsFor).
 */
export function shareConcurrency(total: number, groupSizes: readonly number[]): number[] {
  const hosts = groupSizes.reduce((sum, size) => sum + size, 0);
  const shares = groupSizes.map((size) => Math.max(1, Math.min(size, Math.floor((total * size) / hosts))));
  let left = total - shares.reduce((sum, share) => sum + share, 0);
  const largestFirst = groupSizes.map((size, i) => ({ size, i })).sort((a, b) => b.size - a.size);
  for (const { size, i } of largestFirst) {
    const more = Math.max(0, Math.min(size - shares[i]!, left));
    shares[i]! += more;
    left -= more;
  }
  return shares;
}
