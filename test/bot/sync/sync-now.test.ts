import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountId } from '../../../connectors/sandbox/seed-data-dv.js';
import { button, cardText } from '../../support/bot-harness.js';
import { inputs } from '../../cards/support/walk.js';
import { ADA, BEN } from '../teams-activity.js';
import { freshSandbox, startSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(() => h.close());
beforeEach(() => freshSandbox(h));

const BC_DATA = 'Yes - Use the Business Central data';

/** Customer 10000 coupled to Adatum through the Set Up Coupling card, synchronized from BC right after. */
async function coupleAdatum(): Promise<string> {
  const setUp = await h.say('couple customer 10000', ADA);
  const coupled = await h.click(button(setUp.card, 'Couple'), setUp.id, { syncAfterCoupling: BC_DATA }, ADA);
  return cardText(coupled.card);
}

const choiceOf = (card: unknown) => inputs(card).find((i) => i['id'] === 'direction');

describe('Synchronize After Coupling', () => {
  it('runs right after the coupling and shows what it changed in the outcome', async () => {
    const text = await coupleAdatum();
    expect(text).toMatch(/^Coupled\nBy Ada Manager/);
    expect(text).toContain('Customer 10000 Adatum Corporation is now coupled');
    expect(text).toMatch(
      /Synchronize After Coupling \(Yes - Use the Business Central data\): Modified in Dataverse\./,
    );
    expect(text).toMatch(/accountnumber: \(empty\) → 10000/);
  });
});

describe('sync <entity> <no…>: Synchronize Now on a coupled record', () => {
  it.each([
    {
      side: 'Business Central',
      edit: 'sandbox edit customer 10000 phone="+1 425 555 0199"',
      recommended: 'ToIntegrationTable',
      because: /Customer 10000 was changed in Business Central since the last synchronization/,
      result: /10000 Adatum Corporation: Modified in Dataverse[\s\S]*telephone1: .+ → \+1 425 555 0199/,
    },
    {
      side: 'Dataverse',
      edit: 'sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0177"',
      recommended: 'FromIntegrationTable',
      because:
        /The account coupled to Customer 10000 was changed in Dataverse since the last synchronization/,
      result:
        /10000 Adatum Corporation: Modified in Business Central[\s\S]*Phone No\.: .+ → \+1 425 555 0177/,
    },
  ])(
    'a change in $side: the card recommends its direction; the result shows the field old → new',
    async (c) => {
      await coupleAdatum();
      await h.say(c.edit, ADA);
      const asked = await h.say('sync customer 10000', BEN);
      expect(cardText(asked.card)).toMatch(/^Synchronize Now\nCustomer ↔ account \(CUSTOMER\)/);
      expect(cardText(asked.card)).toMatch(c.because);
      const choice = choiceOf(asked.card);
      expect(choice?.['value']).toBe(c.recommended);
      expect((choice?.['choices'] as unknown[]).length).toBe(3);
      const done = await h.click(button(asked.card, 'Synchronize'), asked.id, { direction: c.recommended });
      expect(done.body?.statusCode).toBe(200);
      expect(cardText(done.card)).toMatch(/^Synchronization of CUSTOMER\n.* · by Ben User/);
      expect(cardText(done.card)).toContain('Inserted 0 · Modified 1 · Deleted 0 · Unchanged 0');
      expect(cardText(done.card)).toMatch(c.result);
      // Synchronized: nothing is left to do, so the next card recommends nothing in particular.
      const again = await h.say('sync customer 10000', BEN);
      expect(cardText(again.card)).toContain('Nothing was changed since the last synchronization.');
    },
  );

  it('both sides changed the same field: only the one-direction options, nothing pre-selected', async () => {
    await coupleAdatum();
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0111"', ADA);
    await h.say('sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0122"', ADA);
    const asked = await h.say('sync customer 10000');
    const choice = choiceOf(asked.card);
    expect(choice?.['choices']).toEqual([
      { title: 'Send data update to Dataverse', value: 'ToIntegrationTable' },
      { title: 'Get data update from Dataverse', value: 'FromIntegrationTable' },
    ]);
    expect(choice).not.toHaveProperty('value');
    expect(cardText(asked.card)).toMatch(
      /changed in both Business Central and Dataverse \(field Phone No\.\): choose which side wins/,
    );
  });

  it('the record card’s Synchronize Now opens the same choice', async () => {
    await coupleAdatum();
    const shown = await h.say('show customer 10000');
    const asked = await h.click(button(shown.card, 'Synchronize Now'), shown.id);
    expect(cardText(asked.card)).toMatch(
      /^Synchronize Now\n[\s\S]*10000 Adatum Corporation — Not changed since the last synchronization/,
    );
  });

  it('a one-direction mapping goes straight to work', async () => {
    await coupleAdatum();
    await h.say('mapping customers direction to-dataverse', ADA);
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0133"', ADA);
    const done = await h.say('sync customer 10000');
    expect(cardText(done.card)).toMatch(
      /^Synchronization of CUSTOMER\nSend data update to Dataverse · by Ben User/,
    );
    expect(cardText(done.card)).toMatch(/telephone1: .+ → \+1 425 555 0133/);
    await h.say('mapping customers direction bidirectional', ADA);
  });
});

describe('records that cannot be synchronized', () => {
  it.each([
    [
      'sync customer 20000',
      /^That did not work\nCustomer 20000 is not coupled\. Couple it first: couple customer 20000$/,
    ],
    ['sync customer 99999', /There is no Customer 99999 in Business Central\. Nothing was synchronized\./],
    [
      'sync customer 20000 30000',
      /None of these 2 Customer records is coupled \(20000, 30000\)\. Couple them first, e\.g\. couple customer 20000/,
    ],
  ])('%s', async (says, answer) => {
    const jobs = await h.db.db.collection('jobs').countDocuments();
    expect(cardText((await h.say(says)).card)).toMatch(answer);
    expect(await h.db.db.collection('jobs').countDocuments()).toBe(jobs);
  });

  it('an uncoupled record among coupled ones is reported in the result, the others synchronized', async () => {
    await coupleAdatum();
    await h.say(`couple customer 30000 to account ${accountId('fine-art-spacing')}`, ADA);
    const asked = await h.say('sync customer 10000 20000 30000');
    expect(cardText(asked.card)).toContain('20000 Trey Research — This Customer is not coupled.');
  });
});
