/**
 * The candidate closest to a misspelt `word`, for "did you mean ...?": the fewest single-character
 * edits (insert, delete, replace, swap two neighbours), close enough to be a slip rather than
 * another word; or a candidate that starts with it (`--concur`). Undefined when none is close.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const allowed = Math.max(1, Math.floor(word.length / 3));
  let best: { candidate: string; rank: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = word.length >= 3 && candidate.startsWith(word) ? 0.5 : editDistance(word, candidate);
    // Between equally close candidates, the one of the same length: lab9 is more likely lab1 than lab.
    const rank = distance + Math.abs(candidate.length - word.length) / 100;
    if (distance <= allowed && (best === undefined || rank < best.rank)) best = { candidate, rank };
  }
  return best?.candidate;
}

/** Optimal string alignment distance: Levenshtein with transpositions of neighbours. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > Math.max(a.length, b.length) / 2) return Infinity;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = rows[i]!;
      const above = rows[i - 1]!;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}
