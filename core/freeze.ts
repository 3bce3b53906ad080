/**
 * Freezes a value and everything it holds, in place, and returns it: for values shared between callers
 * (a memoized card, a snapshot of the mappings), so that a caller changing one fails loudly instead of
 * changing it for everybody.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
