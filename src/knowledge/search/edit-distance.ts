/**
 * Levenshtein distance (insertions, deletions, substitutions) between `a` and `b` when it is at
 * most `max`; otherwise some value greater than `max` (the scan stops as soon as no alignment can
 * stay within it). The same distance MiniSearch's fuzzy search uses.
 */
export function boundedLevenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= b.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ch = b.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(j - 1) === ch ? 0 : 1;
      const v = Math.min(prev[j - 1] + cost, prev[j] + 1, cur[j - 1] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[n];
}
