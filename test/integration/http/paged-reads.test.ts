import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { button } from '../../support/bot-harness.js';
import { ADA } from '../../bot/teams-activity.js';
import type { Row } from '../../kit/loopback/fake-store.js';
import { startHttpBot, type HttpBot } from './http-bot.js';

/**
 * Both services page any answer (the fakes here: 3 rows a page, on every query). With Resolve Deletion
 * Conflicts = Remove Coupling, a by-id read that stopped at the first page took the 4th record for
 * deleted and removed its coupling. Every read now follows @odata.nextLink to the end.
 */
let h: HttpBot;
beforeAll(async () => {
  h = await startHttpBot();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const account = (name: string, city?: string): Row => {
  const row = h.fakes.dv
    .table('accounts')
    .all()
    .find((r) => r.name === name && (city === undefined || r.address1_city === city));
  if (!row) throw new Error(`no account ${name}`);
  return row;
};
const customer = (number: string): Row =>
  h.fakes.bc
    .table('customers')
    .all()
    .find((r) => r.number === number) as Row;
const couplings = () => h.db.db.collection('couplings').countDocuments({ mapping: 'CUSTOMER' });

/** Four coupled customers: more than one server page of 3, on both sides. */
async function coupleFour(): Promise<string[]> {
  const pairs: Array<[string, Row]> = [
    ['10000', account('Adatum Corporation', 'Atlanta')],
    ['20000', account('trey research')],
    ['30000', account('School of Fine Art')],
    ['40000', account('Alpine Ski House', 'Atlanta')],
  ];
  for (const [number, row] of pairs) {
    const { text } = await h.ask(`couple customer ${number} to account ${String(row.accountid)}`, ADA);
    expect(text).toMatch(/^Coupled/);
  }
  expect(await couplings()).toBe(4);
  const set = await h.ask('mapping customers deletion-conflicts remove-coupling', ADA);
  expect(set.text).toMatch(/Resolve Deletion Conflicts set to Remove Coupling/);
  return pairs.map(([, row]) => String(row.accountid));
}

/** Synchronize Now (Business Central data) of the four; returns the job's line in `status customers`. */
async function sendFour(): Promise<string> {
  const asked = await h.ask('sync customer 10000..40000', ADA);
  await h.click(button(asked.card, 'Synchronize'), { direction: 'ToIntegrationTable' }, ADA);
  await h.settle();
  return (await h.ask('status customers', ADA)).text;
}

describe('reads by id across server pages keep couplings (deletion conflicts = Remove Coupling)', () => {
  it('Synchronize Now of four coupled customers: every one found, none uncoupled', async () => {
    await coupleFour();
    h.fakes.bc.resetStats();
    const status = await sendFour();
    expect(status).toMatch(/Deleted 0 · Unchanged \d+ · Skipped 0 · Failed 0 · Coupled 0 · Uncoupled 0/);
    expect(await couplings()).toBe(4);
    // The by-id reads really were paged: the server sent a second page for them.
    const byId = (r: { query: URLSearchParams }) => /\bid eq /.test(r.query.get('$filter') ?? '');
    expect(h.fakes.bc.requests.filter((r) => byId(r) && r.query.has('$skiptoken')).length).toBeGreaterThan(0);
  });

  it('Synchronize Modified Records after edits in Dataverse: the four BC partners are read whole', async () => {
    const accountIds = await coupleFour();
    await sendFour();
    for (const id of accountIds) h.fakes.dv.table('accounts').update(id, { telephone1: '+1 555 0100' });
    await h.ask('sync customers modified', ADA);
    const status = await h.ask('status customers', ADA);
    expect(status.text).toMatch(
      /Bidirectional\nFinished\n.*\nInserted 0 · Modified 4 · Deleted 0 · Unchanged \d+ · Skipped 0 · Failed 0 · Coupled 0 · Uncoupled 0/,
    );
    expect(await couplings()).toBe(4);
    expect(['10000', '20000', '30000', '40000'].map((n) => customer(n).phoneNumber)).toEqual(
      Array(4).fill('+1 555 0100'),
    );
  });

  it('a record really deleted in Business Central still loses its coupling, and only that one', async () => {
    await coupleFour();
    await sendFour();
    h.fakes.bc.table('customers').delete(String(customer('40000').id));
    await h.ask('sync customers all', ADA);
    expect(await couplings()).toBe(3);
    const left = await h.db.db.collection('couplings').find({ mapping: 'CUSTOMER' }).toArray();
    expect(left.map((c) => c.bcNumber).sort()).toEqual(['10000', '20000', '30000']);
  });
});
