import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { button, cardOf, cardText } from '../../support/bot-harness.js';
import { FAST_RETRY, startHarness, type Harness } from '../../kit/loopback/harness.js';
import type { SeenRequest } from '../../kit/loopback/fake-base.js';
import type { Row } from '../../kit/loopback/fake-store.js';
import { personalChat, startSyncHarness, type SyncHarness } from '../../bot/sync/harness.js';
import { ADA, BEN } from '../../bot/teams-activity.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { httpEnv } from './http-bot.js';
import { seedFakes } from './seed-fakes.js';

/**
 * Records that loop and a schedule that stalls, over the real connectors against the loopback Business
 * Central and Dataverse: scheduled runs every 30 minutes, ticked by hand with the clock moved past each.
 */
let fakes: Harness;
let h: SyncHarness;
beforeAll(async () => {
  fakes = await startHarness();
  h = await startSyncHarness({
    env: { SYNC_INTERVAL_MINUTES: '30', ...httpEnv(fakes) },
    http: { fetch: fakes.fetch, httpRetry: FAST_RETRY },
  });
  await ensureIndexes(h.db.db);
});
afterAll(async () => {
  await h.close();
  await fakes.close();
});
beforeEach(async () => {
  seedFakes(fakes.bc, fakes.dv);
  for (const c of ['couplings', 'jobs', 'syncErrors', 'leases', 'scheduleHealth', 'digests'])
    await h.db.db.collection(c).deleteMany({});
  await h.say('mapping customers reset', ADA);
  await h.say('help', ADA); // both have a personal chat with the bot
  await h.say('help', BEN);
});

/** What managers were told on the bot's own initiative (the once-per-start RESOURCE-PRODUCT notice aside). */
const alertsTo = (user: typeof ADA, from: number) =>
  h
    .sentTo(personalChat(user), from)
    .map((a) => a.text ?? cardText(cardOf(a)))
    .filter((t) => !t.includes('RESOURCE-PRODUCT is not available'));
const find = (table: ReturnType<Harness['bc']['table']>, match: (r: Row) => boolean): Row => {
  const row = table.all().find(match);
  if (!row) throw new Error('no such row in the fake');
  return row;
};
const editBc = (changes: Row) => {
  const customers = fakes.bc.table('customers');
  customers.update(String(find(customers, (r) => r.number === '10000').id), changes);
};
const editDv = (changes: Row) => {
  const accounts = fakes.dv.table('accounts');
  const adatum = find(
    accounts,
    (r) => r.name === 'Adatum Corporation' && r._bcbi_companyid_value === fakes.bc.companyId,
  );
  accounts.update(String(adatum.accountid), changes);
};

async function coupleAdatum(): Promise<void> {
  const setUp = await h.say('couple customer 10000', ADA);
  const data = { syncAfterCoupling: 'Yes - Use the Business Central data' };
  await h.click(button(setUp.card, 'Couple'), setUp.id, data, ADA);
}

async function nextInterval(): Promise<string[]> {
  h.clock.advanceMinutes(31);
  return h.bot.runtime.scheduler.tick();
}

describe('recurring errors over the HTTP connectors', () => {
  it('a conflict three runs in a row: errors customers recurring lists it; one digest a day', async () => {
    await coupleAdatum();
    const from = h.adapter.sent.length;
    for (const n of [1, 2, 3]) {
      editBc({ phoneNumber: `+1 425 555 01${n}1` });
      editDv({ telephone1: `+1 425 555 01${n}2` });
      expect(await nextInterval()).toContain('CUSTOMER');
    }
    expect(alertsTo(ADA, from)).toEqual([expect.stringMatching(/left 1 new error/)]);
    const list = cardText((await h.say('errors customers recurring', BEN)).card);
    expect(list).toMatch(
      /1 recurring error for CUSTOMER\.\nCUSTOMER · 10000 Adatum Corporation\nUpdate conflict · Recurring: 3 runs in a row since .* UTC · seen 3 times/,
    );

    const before = h.adapter.sent.length;
    await h.bot.runtime.watch();
    await h.bot.runtime.watch();
    expect(alertsTo(ADA, before)).toEqual([
      expect.stringMatching(
        /^Daily digest, .*: 1 record fails the same way run after run \(1 new since the last digest\)\.\nCUSTOMER: 1\n- CUSTOMER 10000: Update conflict\./,
      ),
    ]);
    expect(alertsTo(BEN, before)).toEqual([]);
  });

  it('a ping-pong under Send Update to Integration is recurring after three runs, with no per-run alert', async () => {
    await h.say('mapping customers update-conflicts send', ADA);
    await coupleAdatum();
    const from = h.adapter.sent.length;
    for (const n of [4, 5, 6]) {
      editBc({ phoneNumber: `+1 425 555 01${n}1` });
      editDv({ telephone1: `+1 425 555 01${n}2` });
      await nextInterval();
    }
    const list = await h.say('errors customers recurring', BEN);
    expect(cardText(list.card)).toMatch(
      /CUSTOMER · 10000 Adatum Corporation\nChanged on both sides on every run · Recurring: 3 runs in a row/,
    );
    expect(alertsTo(ADA, from)).toEqual([]);

    // Quiet now (whatever wrote it back was stopped): Retry finds nothing changed and closes it.
    const retried = await h.click(button(list.card, 'Retry'), list.id, {}, BEN);
    expect(cardText(retried.card)).toContain('The error is resolved.');
    expect(cardText((await h.say('errors customers recurring', BEN)).card)).toContain(
      'No recurring synchronization errors for CUSTOMER.',
    );
  });
});

describe('a stalled schedule over the HTTP connectors', () => {
  it('the account list fails run after run: per mapping one failure alert, one stall alert with the last error, one recovery', async () => {
    await nextInterval();
    let broken = true;
    const accountsRead = (r: SeenRequest) => broken && r.method === 'GET' && r.path.endsWith('/accounts');
    for (let i = 0; i < 100; i++) fakes.dv.failNext({ kind: 'html' }, accountsRead);
    const from = h.adapter.sent.length;
    for (let i = 0; i < 3; i++) {
      await nextInterval();
      await h.bot.runtime.watch();
    }
    // CUSTOMER and VENDOR both read accounts: each failed three times, and each is told twice.
    const told = alertsTo(ADA, from);
    expect(told).toEqual([
      expect.stringMatching(
        /^Synchronization of CUSTOMER\n[\s\S]*Scheduled synchronization of CUSTOMER: Failed\./,
      ),
      expect.stringMatching(
        /^Synchronization of VENDOR\n[\s\S]*Scheduled synchronization of VENDOR: Failed\./,
      ),
      expect.stringMatching(
        /^Scheduled synchronization of CUSTOMER has not completed since .* UTC \(3 intervals of 30 minutes\)\. The last error: The job stopped: Dataverse sent an HTML page[^\n]*? of the account list\. Records synchronized before it stopped/,
      ),
      expect.stringMatching(/^Scheduled synchronization of VENDOR has not completed since /),
    ]);
    expect(alertsTo(BEN, from)).toEqual([]);

    broken = false;
    await nextInterval();
    await h.bot.runtime.watch();
    await nextInterval();
    await h.bot.runtime.watch();
    expect(alertsTo(ADA, from).slice(told.length)).toEqual([
      expect.stringMatching(
        /^Scheduled synchronization of CUSTOMER completed again at .* UTC \(it had not completed since/,
      ),
      expect.stringMatching(/^Scheduled synchronization of VENDOR completed again at /),
    ]);
  });
});
