import type { Db } from 'mongodb';
import { z } from 'zod';
import type { Clock } from '../ports/clock.js';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import { DomainError, ErrorCode } from '../errors.js';
import { filterString, isDuplicateKeyError, parseDocs } from '../store/documents.js';

/**
 * Activity ids of cards already sent, under a key such as `matchRun:<id>`, so that every copy of a
 * card (the manager's proactive message, the channel where the run started) can be updated later to
 * show who decided and when.
 */
export const CardRef = z.object({
  key: z.string(),
  conversationId: z.string(),
  activityId: z.string(),
  sentAt: z.date(),
});
export type CardRef = z.infer<typeof CardRef>;

export interface CardRefs {
  /** Idempotent: remembering the same card twice keeps one entry. */
  remember(ref: Omit<CardRef, 'sentAt'>): Promise<void>;
  /** Every copy under the key, oldest first. */
  list(key: string): Promise<CardRef[]>;
  forget(key: string): Promise<number>;
}

/** `kind:id`, e.g. `matchRun:5f0c…`; kept to plain characters because it lands in filters. */
const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9]*:[A-Za-z0-9._:-]{1,200}$/;

export function cardRefKey(kind: string, id: string): string {
  return `${kind}:${id}`;
}

function checkedKey(key: unknown): string {
  const k = filterString(key, 'Card key', 220);
  if (!KEY_PATTERN.test(k)) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `Card key "${k}" is not of the form kind:id (letters, digits, . _ : -).`,
    );
  }
  return k;
}

export async function ensureCardRefIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.cardRefs);
  await db.collection(COLLECTIONS.cardRefs).createIndexes([
    {
      key: { key: 1, conversationId: 1, activityId: 1 },
      name: 'key_conversation_activity_unique',
      unique: true,
    },
    { key: { key: 1, sentAt: 1 }, name: 'key_sentAt' },
  ]);
}

export function createCardRefs(deps: { db: Db; clock: Clock }): CardRefs {
  const col = deps.db.collection(COLLECTIONS.cardRefs);

  return {
    async remember(ref) {
      const filter = {
        key: checkedKey(ref.key),
        conversationId: filterString(ref.conversationId, 'Conversation id', 500),
        activityId: filterString(ref.activityId, 'Activity id', 500),
      };
      try {
        await col.updateOne(filter, { $setOnInsert: { sentAt: deps.clock.now() } }, { upsert: true });
      } catch (e) {
        // Lost an insert race against the same card: it is remembered, which is all we wanted.
        if (!isDuplicateKeyError(e)) throw e;
      }
    },

    async list(key) {
      const docs = await col
        .find({ key: checkedKey(key) })
        .sort({ sentAt: 1, _id: 1 })
        .toArray();
      return parseDocs(CardRef, docs, 'cardRefs');
    },

    async forget(key) {
      const res = await col.deleteMany({ key: checkedKey(key) });
      return res.deletedCount;
    },
  };
}
