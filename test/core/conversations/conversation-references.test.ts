import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConversationReferences,
  type ConversationInput,
} from '../../../core/conversations/conversation-references.js';
import { DomainError } from '../../../core/errors.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

let t: TestDb;
let now = Date.UTC(2025, 0, 1);
const clock = { now: () => new Date((now += 1000)) };

beforeAll(async () => {
  t = await useTestDb();
  await ensureIndexes(t.db);
});
afterAll(async () => {
  await t.cleanup();
});

/** A Teams-shaped conversation reference, kept opaque by core. */
const personal = (conversationId: string, userId: string | null, type = 'personal'): ConversationInput => ({
  conversationId,
  conversationType: type,
  tenantId: 'tenant-1',
  userId,
  reference: {
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    channelId: 'msteams',
    conversation: { id: conversationId, conversationType: type },
    user: { id: `29:${userId}`, aadObjectId: userId },
  },
});

describe('conversation references', () => {
  it('upserts by conversation id: the second turn refreshes, it does not duplicate', async () => {
    const refs = createConversationReferences({ db: t.db, clock });
    await refs.upsert(personal('a:1', 'aad-alice'));
    const created = await refs.get('a:1');
    await refs.upsert({ ...personal('a:1', 'aad-alice'), reference: { serviceUrl: 'https://new.example/' } });
    const updated = await refs.get('a:1');
    expect(updated?.reference).toEqual({ serviceUrl: 'https://new.example/' });
    expect(updated?.createdAt).toEqual(created?.createdAt);
    expect(updated!.updatedAt > created!.updatedAt).toBe(true);
    expect(await t.db.collection('conversations').countDocuments({ conversationId: 'a:1' })).toBe(1);
  });

  it('two first turns of a new conversation at once leave one reference', async () => {
    const refs = createConversationReferences({ db: t.db, clock });
    await Promise.all([
      refs.upsert(personal('race:1', 'aad-bob')),
      refs.upsert(personal('race:1', 'aad-bob')),
    ]);
    expect(await t.db.collection('conversations').countDocuments({ conversationId: 'race:1' })).toBe(1);
  });

  it('lists the personal chats of the given users (the managers) and not their group chats', async () => {
    const refs = createConversationReferences({ db: t.db, clock });
    await refs.upsert(personal('m:carol', 'aad-carol'));
    await refs.upsert(personal('m:dave', 'aad-dave'));
    await refs.upsert(personal('g:team', 'aad-carol', 'groupChat'));
    await refs.upsert(personal('m:erin', 'aad-erin'));
    const listed = await refs.listForUsers(['aad-carol', 'aad-dave']);
    expect(listed.map((r) => r.conversationId).sort()).toEqual(['m:carol', 'm:dave']);
    expect(await refs.listForUsers([])).toEqual([]);
  });

  it('removes a reference, and refuses ids that are not plain text', async () => {
    const refs = createConversationReferences({ db: t.db, clock });
    await refs.upsert(personal('gone:1', 'aad-x'));
    expect(await refs.remove('gone:1')).toBe(true);
    expect(await refs.get('gone:1')).toBeNull();
    await expect(refs.get({ $ne: null } as unknown as string)).rejects.toThrow(DomainError);
    await expect(refs.listForUsers([{ $ne: null } as unknown as string])).rejects.toThrow(DomainError);
  });
});
