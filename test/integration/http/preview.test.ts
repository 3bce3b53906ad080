import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SeenRequest } from '../../kit/loopback/fake-base.js';
import type { Row } from '../../kit/loopback/fake-store.js';
import { button, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../../bot/teams-activity.js';
import { startHttpBot, type HttpBot } from './http-bot.js';

/**
 * Previews over the HTTP connectors against the loopback Business Central and Dataverse: reads are
 * real requests, and not one request that writes reaches either server until Run for real.
 */
let h: HttpBot;
beforeAll(async () => {
  // Previews answer in the turn here; the slow path is tested over the sandbox.
  h = await startHttpBot({ env: { MATCH_PROGRESS_AFTER_MS: '60000' } });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** A request that writes: anything but a GET, except a $batch that carries only GETs. */
const writes = (r: SeenRequest): boolean =>
  r.method !== 'GET' && !(r.path.endsWith('$batch') && !/^(PATCH|POST|PUT|DELETE|MERGE) /m.test(r.body));
const writeRequests = () => [...h.fakes.bc.requests, ...h.fakes.dv.requests].filter(writes);

/** Both fakes and the store, without the previews themselves. */
async function everything(): Promise<unknown> {
  const s = (await h.snapshot()) as { store: Record<string, unknown> };
  const { syncPreviews: _previews, ...store } = s.store;
  return { ...s, store };
}

const customer = (number: string): Row => {
  const row = h.fakes.bc
    .table('customers')
    .all()
    .find((r) => r.number === number);
  if (!row) throw new Error(`no customer ${number} in the fake BC`);
  return row;
};

/** Asks for a preview and checks it wrote nothing anywhere: no write request, no changed row or document. */
async function preview(command: string, user = ADA) {
  const before = await everything();
  h.fakes.bc.resetStats();
  h.fakes.dv.resetStats();
  const answer = await h.ask(command, user);
  expect(writeRequests()).toEqual([]);
  expect(await everything()).toEqual(before);
  return answer;
}

const runForReal = async (card: unknown, user = ADA) => {
  const done = await h.click(button(card, 'Run for real'), {}, user);
  await h.settle();
  return cardText(done.body?.value);
};

describe('previews over HTTP write nothing', () => {
  it('sync customers all preview: counts and examples from real reads, zero write requests; Run for real does it', async () => {
    await h.ask('couple customer 10000 to account "Adatum Corporation"', ADA);
    await h.ask('mapping customers sync-only-coupled off', ADA);
    h.fakes.bc.table('customers').update(String(customer('10000').id), { phoneNumber: '+1 425 555 0111' });
    const p = await preview('sync customers all preview');
    expect(p.text).toMatch(/^Preview of CUSTOMER\nFull synchronization · Bidirectional · by Ada Manager/);
    expect(p.text).toMatch(
      /Would be modified in Dataverse: 1\n10000 Adatum Corporation\n[\s\S]*telephone1: .* → \+1 425 555 0111/,
    );
    expect(p.text).toMatch(/Would be inserted in Dataverse: \d+\n/);
    expect(h.fakes.bc.requests.length + h.fakes.dv.requests.length).toBeGreaterThan(0);

    h.fakes.bc.resetStats();
    h.fakes.dv.resetStats();
    expect(await runForReal(p.card)).toMatch(/^Synchronization of CUSTOMER/);
    expect(writeRequests().length).toBeGreaterThan(0);
    const [job] = await h.db.db.collection('jobs').find({ type: 'Synchronization' }).toArray();
    const stored = await h.db.db.collection('syncPreviews').findOne({});
    // The run did what the preview said, counter for counter.
    expect(job?.counters).toEqual(stored?.counters);
  });

  it('sync customers modified preview: a record edited in Business Central since is named, and nothing runs', async () => {
    await h.ask('couple customer 10000 to account "Adatum Corporation"', ADA);
    h.fakes.bc.table('customers').update(String(customer('10000').id), { phoneNumber: '+1 425 555 0111' });
    const p = await preview('sync customers modified preview', BEN);
    expect(p.text).toMatch(
      /Synchronize Modified Records · Bidirectional · by Ben User[\s\S]*Would be modified in Dataverse: 1/,
    );
    h.fakes.bc.table('customers').update(String(customer('10000').id), { phoneNumber: '+1 425 555 0122' });
    h.fakes.bc.resetStats();
    h.fakes.dv.resetStats();
    expect(await runForReal(p.card, BEN)).toMatch(
      /Only managers can run Synchronize Modified Records from a preview/,
    );
    expect(await runForReal(p.card, ADA)).toMatch(
      /Nothing was started: since the preview, 1 record changed since the preview: 10000\. Preview again: sync customer modified preview/,
    );
    expect(writeRequests()).toEqual([]);
    expect(await h.db.db.collection('jobs').countDocuments({ type: 'Synchronization' })).toBe(0);
  });

  it('uncouple all customers preview: the couplings it would delete, and none deleted until Run for real', async () => {
    await h.ask('couple customer 10000 to account "Adatum Corporation"', ADA);
    const p = await preview('uncouple all customers preview');
    expect(p.text).toMatch(
      /1 coupling would be deleted; the records themselves stay\.\nWould be uncoupled: 1\n10000 Adatum Corporation/,
    );
    expect(await h.db.db.collection('couplings').countDocuments()).toBe(1);
    // Delete Couplings runs as a background job: the answer is its running card.
    expect(await runForReal(p.card)).toMatch(/^Uncoupling of CUSTOMER[\s\S]*Running…/);
    const job = await h.db.db.collection('jobs').findOne({ type: 'Uncoupling' });
    expect(job?.['message']).toMatch(/1 couplings of table mapping CUSTOMER were deleted/);
    expect(await h.db.db.collection('couplings').countDocuments()).toBe(0);
  });
});
