/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string alignment), because
 * "itme" for "item" is a typo of one slip, not two.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The closest known word, if it is close enough to be what the user meant: at most 1 edit for short
 * words, 2 for longer ones (a third of the word, rounded down, at least 1).
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  const budget = Math.max(1, Math.min(2, Math.floor(word.length / 3)));
  let best: { word: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(word, candidate);
    if (distance <= budget && (best === undefined || distance < best.distance))
      best = { word: candidate, distance };
  }
  return best?.word;
}
