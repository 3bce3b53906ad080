import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../core/audit/audit-log.js';
import { DomainError } from '../../../core/errors.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

let t: TestDb;
let tick = 0;
const clock = { now: () => new Date(Date.UTC(2025, 0, 1, 9, 0, 0) + Math.floor(tick++ / 2) * 1000) };

beforeAll(async () => {
  t = await useTestDb();
  await ensureIndexes(t.db);
});
afterAll(async () => {
  await t.cleanup();
});

const alice = { id: 'aad-alice', name: 'Alice', conversationId: 'conv-1' };

describe('audit log', () => {
  it('records who, when, what and from which conversation, and lists newest first by mapping or subject', async () => {
    const audit = createAuditLog({ db: t.db, clock });
    const first = await audit.record({
      actor: alice,
      action: 'mapping.direction',
      mapping: 'CUSTOMER',
      subject: 'mapping:CUSTOMER',
      details: { to: 'ToIntegrationTable' },
    });
    const second = await audit.record({
      actor: alice,
      action: 'coupling.create',
      mapping: 'CUSTOMER',
      subject: 'customer:10000',
    });
    const third = await audit.record({
      actor: { id: 'x', name: 'Sam' },
      action: 'match.approve',
      subject: 'matchRun:7',
    });

    expect(first).toMatchObject({
      actorId: 'aad-alice',
      actorName: 'Alice',
      conversationId: 'conv-1',
      mapping: 'CUSTOMER',
    });
    expect(third).toMatchObject({ conversationId: null, mapping: null, details: {} });
    expect((await audit.list()).map((e) => e.id)).toEqual([third.id, second.id, first.id]);
    expect(await audit.list({ mapping: 'CUSTOMER' })).toEqual([second, first]);
    expect(await audit.list({ subject: 'customer:10000' })).toEqual([second]);
    expect(await audit.list({ limit: 1 })).toEqual([third]);
  });

  it('refuses a filter value that is not plain text', async () => {
    const audit = createAuditLog({ db: t.db, clock });
    await expect(audit.list({ subject: { $ne: null } as unknown as string })).rejects.toThrow(DomainError);
  });
});
