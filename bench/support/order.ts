/**
 * The items in a fresh random order (Fisher–Yates). Latency rounds run their kinds in such an order:
 * an operation straight after another finds shared code warm, and a fixed order would hand that
 * advantage to the same kind every round.
 */
export function shuffled<T>(xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
