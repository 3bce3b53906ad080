import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdaptiveCard } from './reply.js';

/**
 * Card data comes back from the client untrusted. Every button's static data (the record ids the card
 * is about) is signed when the card is sent, so a forged click ("couple 20000" on 10000's card) is
 * refused before any handler runs. Input values the user picks are not signed: handlers validate them.
 */
export interface CardSeal {
  seal<C extends AdaptiveCard>(card: C): C;
  /** True when `data` carries a valid signature for `verb` over the keys it lists. */
  verify(verb: string, data: Record<string, unknown>): boolean;
}

export const SIGNED_KEYS = '_k';
export const SIGNATURE = '_s';
/** Teams' own hints ride along in Action.Submit data and are never signed. */
const UNSIGNED = new Set(['msteams', SIGNED_KEYS, SIGNATURE]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof v);
/** What a button's data may carry and have signed: scalars and flat lists of them (ids to uncouple). */
const isSignable = (v: unknown): boolean => isScalar(v) || (Array.isArray(v) && v.every(isScalar));

/**
 * The key comes from configuration so that every instance (and a restarted one) accepts the same
 * cards; without one, a per-process key means cards from before a restart must be sent again.
 */
export function createCardSeal(secret?: string): CardSeal {
  const key = secret
    ? createHmac('sha256', 'coupling-assistant/card-seal').update(secret).digest()
    : randomBytes(32);

  const sign = (verb: string, keys: readonly string[], data: Json): string =>
    createHmac('sha256', key)
      .update(JSON.stringify([verb, ...keys.map((k) => [k, data[k]])]))
      .digest('base64url');

  const sealAction = (action: Json) => {
    const data = action.data;
    const verb = typeof action.verb === 'string' ? action.verb : isObject(data) ? data.verb : undefined;
    if (!isObject(data) || typeof verb !== 'string') return;
    const keys = Object.keys(data)
      .filter((k) => !UNSIGNED.has(k) && isSignable(data[k]))
      .sort();
    data[SIGNED_KEYS] = keys.join(',');
    data[SIGNATURE] = sign(verb, keys, data);
  };

  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    if (node.type === 'Action.Execute' || node.type === 'Action.Submit') sealAction(node);
    Object.values(node).forEach(walk);
  };

  return {
    seal(card) {
      const copy = structuredClone(card);
      walk(copy);
      return copy;
    },

    verify(verb, data) {
      const listed = data[SIGNED_KEYS];
      const signature = data[SIGNATURE];
      if (typeof listed !== 'string' || typeof signature !== 'string') return false;
      const keys = listed === '' ? [] : listed.split(',');
      if (keys.some((k) => !isSignable(data[k]) || UNSIGNED.has(k))) return false;
      const expected = Buffer.from(sign(verb, keys, data));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}
