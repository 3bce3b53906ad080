import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from '../../core/logger.js';

/**
 * A user's display name from the Teams roster (`GET /v3/conversations/{id}/members/{userId}`), never
 * from the `from.name` an activity claims. Undefined when the roster does not know them.
 */
export type Roster = (context: TurnContext, aadObjectId: string) => Promise<string | undefined>;

/**
 * The real roster, through the turn's connector client (TeamsInfo.getMember). Teams finds a member by
 * object id; clients that only know the channel id (`29:…`) are asked by that, and the answer counts
 * only when the member it names carries the same object id.
 */
export const teamsRoster: Roster = async (context, aadObjectId) => {
  const sameUser = (m: { aadObjectId?: string }) =>
    !m.aadObjectId || m.aadObjectId.toLowerCase() === aadObjectId.toLowerCase();
  let member;
  try {
    member = await TeamsInfo.getMember(context, aadObjectId);
  } catch (byObjectId) {
    const channelId = context.activity.from?.id;
    if (!channelId || channelId === aadObjectId) throw byObjectId;
    member = await TeamsInfo.getMember(context, channelId);
    if (!member.aadObjectId) return undefined;
  }
  if (!sameUser(member)) return undefined;
  return typeof member.name === 'string' && member.name.trim().length > 0
    ? member.name.trim().slice(0, 200)
    : undefined;
};

export interface RosterCacheOptions {
  /** Names are kept this long (default 1 hour); a failed lookup is retried after `failureTtlMs`. */
  ttlMs?: number;
  failureTtlMs?: number;
  /** At most this many users are remembered (default 5,000); the oldest goes first. */
  maxEntries?: number;
  now?: () => number;
}

/** Shown when the roster cannot say: the object id's start, never the name the activity claims. */
export const unnamed = (aadObjectId: string): string => `Teams user ${aadObjectId.slice(0, 8)}`;

/**
 * The roster behind a bounded cache with a time to live, keyed by tenant and object id: one lookup per
 * user per hour, and a roster outage costs each user one failed call a minute, not one per turn.
 */
export function cachedRoster(
  roster: Roster,
  logger: Pick<Logger, 'warn'>,
  options: RosterCacheOptions = {},
): (context: TurnContext, aadObjectId: string, tenantId: string | undefined) => Promise<string> {
  const ttl = options.ttlMs ?? 60 * 60_000;
  const failureTtl = options.failureTtlMs ?? 60_000;
  const max = options.maxEntries ?? 5_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { name: string; until: number }>();

  return async (context, aadObjectId, tenantId) => {
    const key = `${tenantId ?? ''}|${aadObjectId.toLowerCase()}`;
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.name;
    let name: string | undefined;
    try {
      name = await roster(context, aadObjectId);
    } catch (err) {
      logger.warn(
        { err: (err as Error).message?.slice(0, 200), aadObjectId },
        'could not read the user from the Teams roster',
      );
    }
    cache.delete(key);
    cache.set(key, { name: name ?? unnamed(aadObjectId), until: now() + (name ? ttl : failureTtl) });
    if (cache.size > max) cache.delete(cache.keys().next().value as string);
    return name ?? unnamed(aadObjectId);
  };
}
