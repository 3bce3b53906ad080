import type { Db } from 'mongodb';
import { z } from 'zod';
import type { Clock } from '../ports/clock.js';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import { filterString, isDuplicateKeyError, parseDoc, parseDocs } from '../store/documents.js';

/**
 * Where the bot can write to later (proactive messages: match results awaiting approval, failed jobs).
 * `reference` is the channel's conversation reference, kept opaque here: core knows nothing of Teams.
 */
export const StoredConversation = z.object({
  conversationId: z.string(),
  /** 'personal' | 'groupChat' | 'channel' as Teams reports it. */
  conversationType: z.string(),
  tenantId: z.string().nullable(),
  /** Entra object id of the user in a personal chat; null for group chats and channels. */
  userId: z.string().nullable(),
  reference: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type StoredConversation = z.infer<typeof StoredConversation>;

export type ConversationInput = Omit<StoredConversation, 'createdAt' | 'updatedAt'>;

export interface ConversationReferences {
  /** Inserts or refreshes the reference (called on every turn; cheap and idempotent). */
  upsert(input: ConversationInput): Promise<void>;
  get(conversationId: string): Promise<StoredConversation | null>;
  /** Personal chats of these users, e.g. the managers' ids from configuration. */
  listForUsers(userIds: readonly string[]): Promise<StoredConversation[]>;
  remove(conversationId: string): Promise<boolean>;
}

export async function ensureConversationIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.conversations);
  await db.collection(COLLECTIONS.conversations).createIndexes([
    { key: { conversationId: 1 }, name: 'conversationId_unique', unique: true },
    { key: { userId: 1, conversationType: 1 }, name: 'userId_type' },
  ]);
}

export function createConversationReferences(deps: { db: Db; clock: Clock }): ConversationReferences {
  const col = deps.db.collection(COLLECTIONS.conversations);
  const conversationId = (v: unknown) => filterString(v, 'Conversation id', 500);

  const write = async (input: ConversationInput) => {
    const now = deps.clock.now();
    const { conversationId: id, conversationType, tenantId, userId, reference } = input;
    await col.updateOne(
      { conversationId: conversationId(id) },
      {
        $set: { conversationType, tenantId, userId, reference, updatedAt: now },
        $setOnInsert: { createdAt: now },
      },
      { upsert: true },
    );
  };

  return {
    async upsert(input) {
      try {
        await write(input);
      } catch (e) {
        // Two turns of a new conversation at once: both upserts insert, one loses on the unique
        // index; by then the document exists and a second attempt updates it.
        if (!isDuplicateKeyError(e)) throw e;
        await write(input);
      }
    },

    async get(id) {
      return parseDoc(
        StoredConversation,
        await col.findOne({ conversationId: conversationId(id) }),
        'conversations',
      );
    },

    async listForUsers(userIds) {
      const ids = userIds.map((id) => filterString(id, 'User id', 200));
      if (ids.length === 0) return [];
      const docs = await col
        .find({ userId: { $in: ids }, conversationType: 'personal' })
        .sort({ updatedAt: -1 })
        .toArray();
      return parseDocs(StoredConversation, docs, 'conversations');
    },

    async remove(id) {
      const res = await col.deleteOne({ conversationId: conversationId(id) });
      return res.deletedCount === 1;
    },
  };
}
