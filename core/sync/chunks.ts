/**
 * Look-ups and writes by many ids go out in slices of this size: each system caps a request anyway
 * (Dataverse's $batch takes 1,000 operations), and a slice of a whole batch keeps the round trips few.
 */
export const ID_SLICE = 1000;

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
