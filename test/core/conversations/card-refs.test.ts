import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardRefKey, createCardRefs } from '../../../core/conversations/card-refs.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
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

describe('card refs', () => {
  it('remembers every copy of a card under its key, once each, oldest first', async () => {
    const cards = createCardRefs({ db: t.db, clock });
    const key = cardRefKey('matchRun', 'run-1');
    await cards.remember({ key, conversationId: 'manager-chat', activityId: 'act-1' });
    await cards.remember({ key, conversationId: 'channel', activityId: 'act-2' });
    await Promise.all([
      cards.remember({ key, conversationId: 'manager-chat', activityId: 'act-1' }),
      cards.remember({ key, conversationId: 'manager-chat', activityId: 'act-1' }),
    ]);
    await cards.remember({ key: 'matchRun:run-2', conversationId: 'channel', activityId: 'act-3' });
    const refs = await cards.list(key);
    expect(refs.map((r) => [r.conversationId, r.activityId])).toEqual([
      ['manager-chat', 'act-1'],
      ['channel', 'act-2'],
    ]);
  });

  it('forgets all copies under a key and no others', async () => {
    const cards = createCardRefs({ db: t.db, clock });
    await cards.remember({ key: 'job:a', conversationId: 'c', activityId: '1' });
    await cards.remember({ key: 'job:a', conversationId: 'c', activityId: '2' });
    await cards.remember({ key: 'job:b', conversationId: 'c', activityId: '3' });
    expect(await cards.forget('job:a')).toBe(2);
    expect(await cards.list('job:a')).toEqual([]);
    expect(await cards.list('job:b')).toHaveLength(1);
  });

  it.each([['no-kind'], ['matchRun:'], ['matchRun:$where'], [{ $ne: null }], ['x:' + 'y'.repeat(300)]])(
    'refuses the key %j',
    async (key) => {
      const cards = createCardRefs({ db: t.db, clock });
      const e = await cards.list(key as string).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe(ErrorCode.InvalidInput);
    },
  );
});
