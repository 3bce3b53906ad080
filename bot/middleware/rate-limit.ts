import type { Middleware } from 'botbuilder';
import { ActivityTypes } from 'botbuilder';
import type { Clock } from '../../core/ports/clock.js';
import { respondWithText } from '../reply.js';
import { NOBODY } from '../turn.js';

const WINDOW_MS = 60_000;
/** Bounded memory: users idle for a window are forgotten, and at most this many are tracked. */
const MAX_TRACKED_USERS = 10_000;

/**
 * RATE_LIMIT_PER_MINUTE per user (0 = off), over a sliding minute. Kept per instance: with several
 * instances a user gets at most N per instance, which is still a bound on abuse.
 */
export function rateLimit(perMinute: number, clock: Clock): Middleware {
  const hits = new Map<string, number[]>();

  const allow = (user: string, now: number): boolean => {
    const recent = (hits.get(user) ?? []).filter((t) => now - t < WINDOW_MS);
    if (recent.length >= perMinute) {
      hits.set(user, recent);
      return false;
    }
    recent.push(now);
    hits.delete(user); // re-insert: Map order is then least-recently-seen first
    hits.set(user, recent);
    if (hits.size > MAX_TRACKED_USERS) hits.delete(hits.keys().next().value as string);
    return true;
  };

  return {
    async onTurn(context, next) {
      const counted =
        context.activity.type === ActivityTypes.Message || context.activity.type === ActivityTypes.Invoke;
      if (perMinute <= 0 || !counted) return next();
      // Per Entra object id (the identity); activities without one are refused by the identity middleware.
      const user = context.activity.from?.aadObjectId || NOBODY;
      if (allow(user, clock.now().getTime())) return next();
      await respondWithText(
        context,
        `You're going a bit fast — I can take ${perMinute} requests a minute from one person. Give it a moment and try again; nothing was changed.`,
      );
    },
  };
}
