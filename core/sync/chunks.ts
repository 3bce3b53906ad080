/**
 * Look-ups by many ids go out in slices of this size. Each system caps a request anyway, and an
 * `$in` of a few hundred values keeps the matching cheap on every store (embedded-mongo re-checks
 * each candidate against the whole list, so one `$in` of n ids costs n² there).
 */
export const ID_SLICE = 250;

/** Runs `fn` on consecutive slices of `items` (one after the other) and concatenates the answers in order. */
export async function inSlices<T, R>(
  items: readonly T[],
  fn: (slice: T[]) => Promise<R[]>,
  size = ID_SLICE,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await fn(items.slice(i, i + size))));
  return out;
}
