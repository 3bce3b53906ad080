import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpDataverse } from '../../../connectors/http/dataverse.js';
import { startHarness, type Harness } from '../../kit/loopback/harness.js';

let h: Harness;
let dv: HttpDataverse;

const seedAccounts = (n: number) =>
  h.dv.seed(
    'accounts',
    Array.from({ length: n }, (_, i) => ({ name: `A${i}`, statecode: 0 })),
  );
const batches = () => h.dv.requests.filter((r) => r.path.endsWith('/$batch'));
const countParts = (body: string) => (body.match(/^Content-Type: application\/http/gm) ?? []).length;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.dv
    .table('accounts')
    .all()
    .forEach((r) => h.dv.table('accounts').delete(String(r.accountid)));
  h.dv.resetStats();
  dv = h.connect().dataverse;
});

describe('Dataverse multi-record writes (multipart $batch)', () => {
  it('sends 2,500 updates as 3 batches of at most 1000 and answers per row with its new ETag', async () => {
    const rows = seedAccounts(2500);
    h.dv.resetStats();
    const results = await dv.updateMany(
      'account',
      rows.map((r, i) => ({ id: String(r.accountid), fields: { name: `Renamed ${i}` } })),
    );
    expect(
      batches()
        .map((r) => countParts(r.body))
        .sort((a, b) => b - a),
    ).toEqual([1000, 1000, 500]);
    expect(h.dv.requests).toHaveLength(3);
    expect(results.every((r) => r.ok)).toBe(true);
    const first = results[0];
    expect(first?.ok && first.value.etag).toBe(h.dv.table('accounts').etag(String(rows[0]?.accountid)));
    expect(results.map((r) => (r.ok ? r.value.fields.name : undefined))).toEqual(
      rows.map((_, i) => `Renamed ${i}`),
    );
  });

  it('fails only the row whose ETag is stale, writing the others (continue-on-error)', async () => {
    const rows = seedAccounts(3);
    const etags = rows.map((r) => h.dv.table('accounts').etag(String(r.accountid)));
    h.dv.table('accounts').update(String(rows[0]?.accountid), { name: 'Changed elsewhere' });
    const results = await dv.updateMany(
      'account',
      rows.map((r, i) => ({ id: String(r.accountid), fields: { name: 'Mine' }, etag: etags[i] })),
    );
    expect(results.map((r) => r.ok)).toEqual([false, true, true]);
    // Named as people know it (re-read once), not by its id.
    expect(results[0]).toEqual({
      ok: false,
      code: 'conflict',
      error:
        'account "Changed elsewhere" was changed in Dataverse since it was read; nothing was overwritten. Try again.',
    });
    expect(h.dv.table('accounts').get(String(rows[0]?.accountid))?.name).toBe('Changed elsewhere');
  });

  it('writes an atomic group as one change set: one stale ETag and nothing is written', async () => {
    const rows = seedAccounts(3);
    const etags = rows.map((r) => h.dv.table('accounts').etag(String(r.accountid)));
    h.dv.table('accounts').update(String(rows[2]?.accountid), { name: 'Changed elsewhere' });
    const results = await dv.updateManyAtomic(
      'account',
      rows.map((r, i) => ({ id: String(r.accountid), fields: { name: 'Mine' }, etag: etags[i] })),
    );
    expect(
      results.every(
        (r) => !r.ok && r.code === 'conflict' && /Nothing in this group was written/.test(r.error),
      ),
    ).toBe(true);
    expect(
      h.dv
        .table('accounts')
        .all()
        .map((r) => r.name),
    ).toEqual(['A0', 'A1', 'Changed elsewhere']);
    expect(batches()[0]?.body).toMatch(/Content-Type: multipart\/mixed; boundary=changeset_/);
  });

  it('creates many, failing alone the row with a bad lookup and the one Dataverse refuses', async () => {
    const results = await dv.createMany('account', [
      { name: 'One' },
      { name: 'Bad lookup', transactioncurrencyid: 'EUR' },
      { name: 'Unknown column', nosuchcolumn: 1 },
      { name: 'Four' },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(results[1]).toMatchObject({ code: 'invalid', error: expect.stringMatching(/not "EUR"/) });
    expect(results[2]).toMatchObject({
      error: expect.stringMatching(
        /Dataverse answered 400 for new account #3: The property 'nosuchcolumn' does not exist/,
      ),
    });
    expect(countParts(batches()[0]?.body ?? '')).toBe(3);
    expect(
      h.dv
        .table('accounts')
        .all()
        .map((r) => r.name)
        .sort(),
    ).toEqual(['Four', 'One']);
  });

  it("gives every row of a batch Dataverse refused with a 200 and an OData error the server's message, under its own name", async () => {
    const rows = seedAccounts(2);
    h.dv.failNext({ kind: 'odata-error-200', message: 'Generic SQL error.' }, (r) =>
      r.path.endsWith('/$batch'),
    );
    const results = await dv.updateMany(
      'account',
      rows.map((r) => ({ id: String(r.accountid), fields: { name: 'x' } })),
    );
    expect(results).toEqual(
      rows.map((r) => ({
        ok: false,
        error: `Dataverse reported an error for account ${String(r.accountid)} (in a $batch of 2 writes): Generic SQL error. [Internal_ServerError]`,
      })),
    );
    expect(
      h.dv
        .table('accounts')
        .all()
        .map((r) => r.name),
    ).toEqual(['A0', 'A1']);
  });

  it('gives every row of a batch a clear reason when the batch answer is cut short', async () => {
    const rows = seedAccounts(2);
    h.dv.failNext({ kind: 'html' }, (r) => r.path.endsWith('/$batch'));
    const results = await dv.updateMany(
      'account',
      rows.map((r) => ({ id: String(r.accountid), fields: { name: 'x' } })),
    );
    expect(results.every((r) => !r.ok && /unreadable \$batch response .*not multipart/.test(r.error))).toBe(
      true,
    );
  });
});
