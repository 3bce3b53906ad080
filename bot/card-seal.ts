import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { deepFreeze } from '../core/freeze.js';

/** A rendered Adaptive Card as the bot sends it; its buttons' data is what the seal signs. */
export type AdaptiveCard = { type: 'AdaptiveCard' } & Record<string, unknown>;

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
/** JSON objects (a card is JSON); anything else (a Date, say) is passed through as it is. */
const isPlainObject = (v: unknown): v is Json => {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const isScalar = (v: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof v);
/** What a button's data may carry and have signed: scalars and flat lists of them (ids to uncouple). */
const isSignable = (v: unknown): boolean => isScalar(v) || (Array.isArray(v) && v.every(isScalar));

/**
 * The key comes from configuration so that every instance (and a restarted one) accepts the same
 * cards; without one, a per-process key means cards from before a restart must be sent again.
 */
export function createCardSeal(secret?: string): CardSeal {
  const key = createSecretKey(
    secret ? createHmac('sha256', 'coupling-assistant/card-seal').update(secret).digest() : randomBytes(32),
  );

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

  /** A copy of the card with every action sealed; copying while walking costs a fraction of structuredClone. */
  const sealed = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(sealed);
    if (!isPlainObject(node)) return node;
    const copy: Json = {};
    for (const k of Object.keys(node)) copy[k] = sealed(node[k]);
    if (copy.type === 'Action.Execute' || copy.type === 'Action.Submit') sealAction(copy);
    return copy;
  };

  // A frozen card is a shared one from the renderer's memo: its sealed copy is the same every time.
  const sealedCards = new WeakMap<object, unknown>();

  return {
    seal(card) {
      if (!Object.isFrozen(card)) return sealed(card) as typeof card;
      let copy = sealedCards.get(card);
      if (!copy) sealedCards.set(card, (copy = deepFreeze(sealed(card))));
      return copy as typeof card;
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
