import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountId } from '../../../connectors/sandbox/seed-data-dv.js';
import { button, buttonsOf, cardText } from '../../support/bot-harness.js';
import { inputs } from '../../cards/support/walk.js';
import { ADA, BEN } from '../teams-activity.js';
import { freshSandbox, startSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ env: { SYNC_INTERVAL_MINUTES: '0' } });
});
afterAll(() => h.close());
beforeEach(() => freshSandbox(h));

async function coupleAdatum(): Promise<void> {
  const setUp = await h.say('couple customer 10000', ADA);
  await h.click(
    button(setUp.card, 'Couple'),
    setUp.id,
    { syncAfterCoupling: 'Yes - Use the Business Central data' },
    ADA,
  );
}

/** Phone No. changed on both sides; CUSTOMER's Resolve Update Conflicts is None: the record is Skipped. */
async function conflict(): Promise<void> {
  await coupleAdatum();
  await h.say('sandbox edit customer 10000 phone="+1 425 555 0111"', ADA);
  await h.say('sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0122"', ADA);
  await h.say('sync customers modified', ADA);
  await h.settle();
}

const openErrors = () => h.db.db.collection('syncErrors').countDocuments({ status: 'open' });
const titles = (card: unknown) => buttonsOf(card).map((b) => b.title);

describe('errors: Coupled Data Synchronization Errors and their actions', () => {
  it('a conflict under Resolve Update Conflicts None is listed; Synchronize (Business Central wins) clears it, once', async () => {
    await conflict();
    const status = cardText((await h.say('status customers')).card);
    expect(status).toContain('Skipped 1');
    const list = await h.say('errors customers', BEN);
    const text = cardText(list.card);
    expect(text).toMatch(
      /^Coupled Data Synchronization Errors\n1 error for CUSTOMER\.\nCUSTOMER · 10000 Adatum Corporation\nUpdate conflict · /,
    );
    expect(text).toContain('changed in both Business Central and Dataverse: field Phone No.');
    expect(titles(list.card)).toEqual(['Retry', 'Synchronize…', 'Delete Coupling', 'Retry All']);

    const choose = await h.click(button(list.card, 'Synchronize…'), list.id, {}, ADA);
    expect(cardText(choose.card)).toMatch(/^Synchronize: choose which side wins\n/);
    const sides = inputs(choose.card).find((i) => i['id'] === 'direction');
    expect((sides?.['choices'] as Array<{ value: string }>).map((c) => c.value)).toEqual([
      'ToIntegrationTable',
      'FromIntegrationTable',
    ]);
    const done = await h.click(
      button(choose.card, 'Synchronize'),
      list.id,
      { direction: 'ToIntegrationTable' },
      ADA,
    );
    const result = cardText(done.card);
    expect(result).toMatch(
      /^Synchronization of CUSTOMER\nSynchronize \(Business Central wins\) · CUSTOMER 10000 · by Ada Manager/,
    );
    expect(result).toContain('The error is resolved.');
    expect(result).toMatch(/telephone1: \+1 425 555 0122 → \+1 425 555 0111/);
    expect(await openErrors()).toBe(0);

    // Ben still has the list from before, and clicks: core says who resolved it, and when.
    const late = await h.click(button(list.card, 'Synchronize…'), list.id, {}, BEN);
    expect(cardText(late.card)).toMatch(
      /^That did not work\nThis error was already resolved by Ada Manager at \d{4}-\d\d-\d\d \d\d:\d\d UTC \(Synchronized\); nothing was changed\.$/,
    );
    const twice = await h.click(
      button(choose.card, 'Synchronize'),
      list.id,
      { direction: 'FromIntegrationTable' },
      BEN,
    );
    expect(cardText(twice.card)).toMatch(/already resolved by Ada Manager/);
    expect(cardText((await h.say('errors customers')).card)).toContain(
      'No synchronization errors for CUSTOMER.',
    );
  });

  it('Retry leaves a conflict open (None still applies) and says so; Delete Coupling resolves it', async () => {
    await conflict();
    const list = await h.say('errors customers');
    const retried = cardText((await h.click(button(list.card, 'Retry'), list.id)).card);
    expect(retried).toMatch(/Skipped 1/);
    expect(retried).toContain('The error is still open; type errors to see it and choose another action.');
    const again = await h.say('errors customers');
    const deleted = cardText((await h.click(button(again.card, 'Delete Coupling'), again.id)).card);
    expect(deleted).toMatch(
      /^Delete Coupling: CUSTOMER 10000\nBy Ben User · .*\nThe coupling of Customer 10000 was deleted\.\nThe error is resolved\.$/,
    );
    expect(await h.db.db.collection('couplings').countDocuments()).toBe(0);
  });

  it('Retry All runs as a job: the running card is updated with the counters', async () => {
    await conflict();
    const list = await h.say('errors', ADA);
    const running = await h.click(button(list.card, 'Retry All'), list.id, {}, ADA);
    expect(cardText(running.card)).toMatch(/Direction: Retry All · CUSTOMER[\s\S]*Running…/);
    await h.settle();
    const updated = h.adapter.updates.filter((u) => u.id === list.id).at(-1);
    expect(cardText(updated?.attachments?.[0]?.content)).toContain('Skipped 1');
  });

  it('Delete Records is a manager action: offered to managers only, and refused in core for others', async () => {
    await coupleAdatum();
    await h.say(`sandbox delete account ${accountId('adatum')}`, ADA);
    await h.say('sync customers all', ADA);
    await h.settle();
    const adas = await h.say('errors customers', ADA);
    expect(cardText(adas.card)).toContain('Deletion conflict: Dataverse row deleted');
    expect(titles(adas.card)).toEqual([
      'Retry',
      'Delete Coupling',
      'Restore Records',
      'Delete Records',
      'Retry All',
    ]);
    const bens = await h.say('errors customers', BEN);
    expect(titles(bens.card)).not.toContain('Delete Records');

    const refused = await h.click(button(adas.card, 'Delete Records'), adas.id, {}, BEN);
    expect(cardText(refused.card)).toMatch(/^That did not work\nOnly managers can delete records\./);
    expect(await openErrors()).toBe(1);
    expect(await h.db.db.collection('couplings').countDocuments()).toBe(1);

    const restored = cardText((await h.click(button(bens.card, 'Restore Records'), bens.id, {}, BEN)).card);
    expect(restored).toMatch(/Restore Records by Ben User: .*The error is resolved\./);
    expect(await openErrors()).toBe(0);
  });
});
