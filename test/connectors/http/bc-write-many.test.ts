import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpBusinessCentral } from '../../../connectors/http/business-central.js';
import { startHarness, type Harness } from '../../kit/loopback/harness.js';

let h: Harness;
let bc: HttpBusinessCentral;

const seedCustomers = (n: number) =>
  h.bc.seed(
    'customers',
    Array.from({ length: n }, (_, i) => ({ number: String(10000 + i), displayName: `C${i}`, blocked: ' ' })),
  );
const batchSizes = () =>
  h.bc.requests
    .filter((r) => r.path.endsWith('/$batch'))
    .map((r) => (JSON.parse(r.body) as { requests: unknown[] }).requests.length);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.bc
    .table('customers')
    .all()
    .forEach((r) => h.bc.table('customers').delete(String(r.id)));
  h.bc.resetStats();
  bc = h.connect().businessCentral;
});

describe('Business Central multi-record writes ($batch)', () => {
  it('sends 250 updates as 3 JSON batches of at most 100 and answers per record, in order', async () => {
    const rows = seedCustomers(250);
    h.bc.resetStats();
    const results = await bc.updateMany(
      'Customer',
      rows.map((r, i) => ({ id: String(r.id), fields: { Name: `Renamed ${i}` } })),
    );
    expect(batchSizes().sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => (r.ok ? r.value.fields.Name : r.error))).toEqual(
      rows.map((_, i) => `Renamed ${i}`),
    );
    expect(
      h.bc
        .table('customers')
        .all()
        .every((r) => String(r.displayName).startsWith('Renamed')),
    ).toBe(true);
  });

  it('fails only the record whose ETag is stale, writing the others', async () => {
    const rows = seedCustomers(3);
    const etags = rows.map((r) => h.bc.table('customers').etag(String(r.id)));
    h.bc.table('customers').update(String(rows[1]?.id), { displayName: 'Changed elsewhere' });
    const results = await bc.updateMany(
      'Customer',
      rows.map((r, i) => ({ id: String(r.id), fields: { Name: 'Mine' }, etag: etags[i] })),
    );
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({
      ok: false,
      code: 'conflict',
      error: expect.stringMatching(/changed in Business Central since it was read/),
    });
    expect(h.bc.table('customers').get(String(rows[1]?.id))?.displayName).toBe('Changed elsewhere');
  });

  it('creates many, failing alone the record BC refuses and the one that cannot be translated', async () => {
    seedCustomers(1);
    const results = await bc.createMany('Customer', [
      { 'No.': 'N1', Name: 'New one' },
      { 'No.': '10000', Name: 'Duplicate number' },
      { 'No.': 'N3', 'Search Name': 'no such API field' },
      { 'No.': 'N4', Name: 'New four' },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(results[1]).toMatchObject({
      error: expect.stringMatching(/answered 400 for new Customer #2: The record already exists/),
    });
    expect(results[2]).toMatchObject({
      code: 'invalid',
      error: expect.stringMatching(/offers no field for Customer "Search Name"/),
    });
    expect(batchSizes()).toEqual([3]);
  });

  it('gives every record of a batch the reason when the batch answer is unreadable, writing nothing else', async () => {
    const rows = seedCustomers(2);
    // Guarded updates are repeated after a 502: it has to last for every attempt to reach the caller.
    for (let i = 0; i < 6; i++)
      h.bc.failNext({ kind: 'html', status: 502 }, (r) => r.path.endsWith('/$batch'));
    const results = await h.connect({ retry: { baseDelayMs: 1, maxDelayMs: 5 } }).businessCentral.updateMany(
      'Customer',
      rows.map((r) => ({ id: String(r.id), fields: { Name: 'x' } })),
    );
    expect(results).toEqual([
      {
        ok: false,
        error: expect.stringMatching(
          /Business Central answered 502 for a \$batch of 2 Customer writes: an HTML page titled "Service Unavailable"/,
        ),
      },
      { ok: false, error: expect.stringMatching(/answered 502/) },
    ]);
  });
});
