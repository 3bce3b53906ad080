import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { loadOrCreateSecret } from '../../../core/store/secrets.js';
import { createCardSeal } from '../../../bot/card-seal.js';
import { useTestDb } from '../../support/test-mongo.js';

let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ db, cleanup } = await useTestDb()));
afterAll(() => cleanup());

describe('generated secrets', () => {
  it('are created once and then read back unchanged', async () => {
    const first = await loadOrCreateSecret(db, 'first-secret');
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await loadOrCreateSecret(db, 'first-secret')).toBe(first);
    expect(await loadOrCreateSecret(db, 'another-secret')).not.toBe(first);
  });

  it('agree on one value when several instances start at once', async () => {
    const values = await Promise.all(
      Array.from({ length: 10 }, () => loadOrCreateSecret(db, 'raced-secret')),
    );
    expect(new Set(values).size).toBe(1);
  });

  it('let a card signed before a restart be verified after it', async () => {
    const before = createCardSeal(await loadOrCreateSecret(db, 'card-seal'));
    const card = before.seal({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [],
      actions: [{ type: 'Action.Execute', verb: 'ca.show', data: { verb: 'ca.show', number: '10000' } }],
    });
    const data = (card.actions as Array<{ data: Record<string, unknown> }>)[0]!.data;
    const after = createCardSeal(await loadOrCreateSecret(db, 'card-seal'));
    expect(after.verify('ca.show', data)).toBe(true);
    expect(after.verify('ca.show', { ...data, number: '20000' })).toBe(false);
  });
});
