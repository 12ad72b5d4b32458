import { describe, expect, it } from 'vitest';
import { partition, shareConcurrency, threadsFor } from '../../../src/scan/threads/partition.js';
import { target } from '../../support/judge.js';

/** `sizes[i]` hosts in cluster `c<i>`, listed cluster by cluster. */
function fleet(...sizes: number[]) {
  return sizes.flatMap((size, c) => Array.from({ length: size }, (_, h) => target(`c${c}-h${h}`, { cluster: `c${c}` })));
}

const names = (groups: { name: string }[][]) => groups.map((group) => group.map((t) => t.name));

describe('partition', () => {
  it('keeps each cluster whole, in one group', () => {
    const groups = partition(fleet(3, 5, 1, 2, 3, 3), 3);
    const clusterGroups = new Map<string, Set<number>>();
    groups.forEach((group, i) => group.forEach((t) => clusterGroups.set(t.cluster, (clusterGroups.get(t.cluster) ?? new Set()).add(i))));
    expect([...clusterGroups.values()].map((set) => set.size)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(groups.flat()).toHaveLength(17);
  });

  it('evens the groups out in hosts, largest cluster first', () => {
    expect(partition(fleet(3, 5, 1, 2, 3, 3), 3).map((group) => group.length)).toEqual([6, 6, 5]);
    expect(partition(fleet(...Array<number>(1000).fill(3)), 4).map((group) => group.length)).toEqual([750, 750, 750, 750]);
  });

  it('keeps the inventory order inside each group, and leaves no group empty', () => {
    const interleaved = [target('a1', { cluster: 'a' }), target('b1', { cluster: 'b' }), target('a2', { cluster: 'a' }), target('b2', { cluster: 'b' })];
    expect(names(partition(interleaved, 4))).toEqual([
      ['a1', 'a2'],
      ['b1', 'b2'],
    ]);
  });
});

describe('threadsFor', () => {
  it('uses one thread per core for a large fleet, fewer for a small one, one for a tiny one', () => {
    expect(threadsFor(fleet(...Array<number>(1000).fill(3)), 8, 64)).toBe(8);
    expect(threadsFor(fleet(...Array<number>(100).fill(3)), 8, 64)).toBe(3);
    expect(threadsFor(fleet(...Array<number>(20).fill(3)), 8, 64)).toBe(1);
  });

  it('takes the number asked for, but never more than there are clusters or hosts at once', () => {
    expect(threadsFor(fleet(3, 3), 8, 64, 4)).toBe(2);
    expect(threadsFor(fleet(...Array<number>(1000).fill(3)), 8, 64, 1)).toBe(1);
    expect(threadsFor(fleet(3, 3, 3), 1, 64, 3)).toBe(3);
    expect(threadsFor(fleet(...Array<number>(1000).fill(3)), 8, 2, 4)).toBe(2);
  });
});

describe('shareConcurrency', () => {
  it('shares hosts at once in proportion to each group, at least one, at most its hosts, never more than the total', () => {
    expect(shareConcurrency(64, [500, 500])).toEqual([32, 32]);
    expect(shareConcurrency(32, [300, 100])).toEqual([24, 8]);
    expect(shareConcurrency(10, [5, 5, 5])).toEqual([4, 3, 3]);
    expect(shareConcurrency(64, [2, 100])).toEqual([1, 63]);
    expect(shareConcurrency(64, [2, 3])).toEqual([2, 3]);
    expect(shareConcurrency(3, [10, 10, 10])).toEqual([1, 1, 1]);
  });
});
