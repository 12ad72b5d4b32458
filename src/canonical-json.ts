/**
 * JSON with the keys of every object sorted: the same data gives the same text whatever order its
 * keys were written in (by two readers, or in two files), so it can be compared as text.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
