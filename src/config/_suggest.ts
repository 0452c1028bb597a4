/**
 * "Did you mean" suggestions for mistyped flags and keys.
 *
 * @module
 */

/**
 * The candidate closest to `word`, or undefined when none is close. Case,
 * `-` and `_` are ignored first, so `probeIntervalMs` finds
 * `probe_interval_ms`; then up to one edit per four letters is allowed.
 */
export function closest(
  word: string,
  candidates: readonly string[],
): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[-_]/g, "");
  const exact = candidates.find((c) => plain(c) === plain(word));
  if (exact !== undefined) return exact;

  const limit = Math.max(1, Math.floor(plain(word).length / 4));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(plain(word), plain(c));
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of
 * two neighbours (optimal string alignment), so `nmae` is one from `name`.
 */
function editDistance(a: string, b: string): number {
  // d[i][j]: distance between the first i letters of a and j letters of b.
  const d = Array.from(
    { length: a.length + 1 },
    (_, i) => Array.from({ length: b.length + 1 }, (_, j) => i + j),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + cost,
      );
      const swapped = i > 1 && j > 1 && a[i - 1] === b[j - 2] &&
        a[i - 2] === b[j - 1];
      if (swapped) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
