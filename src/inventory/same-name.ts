/**
 * Each item whose name an earlier item already has, paired with that first item. Names are
 * compared without regard to case, as DNS does: `CP1` and `cp1` are one machine.
 */
export function repeatedNames<T>(items: readonly T[], name: (item: T) => string): [repeated: T, first: T][] {
  const seen = new Map<string, T>();
  const repeated: [T, T][] = [];
  for (const item of items) {
    const key = name(item).toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, item);
    else repeated.push([item, first]);
  }
  return repeated;
}
