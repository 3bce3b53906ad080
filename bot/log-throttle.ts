/**
 * One log line per key per window, with how many were held back since the last line: a flood of forged
 * tokens is a line a minute per reason, not a line per request. Bounded: at most `maxKeys` keys.
 */
export interface LogThrottle {
  /** Undefined: hold this one back. Otherwise log it, with `suppressed` (0 the first time). */
  admit(key: string): { suppressed: number } | undefined;
}

export function createLogThrottle(
  options: { windowMs?: number; maxKeys?: number; now?: () => number } = {},
): LogThrottle {
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 100;
  const now = options.now ?? Date.now;
  const state = new Map<string, { since: number; suppressed: number }>();
  return {
    admit(key) {
      const t = now();
      const s = state.get(key);
      if (s && t - s.since < windowMs) {
        s.suppressed++;
        return undefined;
      }
      state.delete(key);
      state.set(key, { since: t, suppressed: 0 });
      if (state.size > maxKeys) state.delete(state.keys().next().value as string);
      return { suppressed: s?.suppressed ?? 0 };
    },
  };
}
