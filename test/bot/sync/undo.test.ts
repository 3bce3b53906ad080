import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountId } from '../../../connectors/sandbox/seed-data-dv.js';
import { button, buttonsOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import { freshSandbox, startSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await freshSandbox(h);
  await h.db.db.collection('undoJournal').deleteMany({});
});

const couplingsNow = async () =>
  (
    await h.db.db
      .collection('couplings')
      .find({}, { projection: { _id: 0 } })
      .toArray()
  ).sort((a, b) => String(a['bcId']).localeCompare(String(b['bcId'])));
const adatum = () => h.bot.services.bc.getByNumber('Customer', '10000');
const account = async () =>
  ((await h.db.db.collection('dv.account').findOne({ _id: accountId('adatum') as never }))?.['fields'] ??
    null) as Record<string, unknown> | null;
const titles = (card: unknown) => buttonsOf(card).map((b) => b.title);

/** Customer 10000 coupled to Adatum by Ben, typed: the outcome card carries the Undo button. */
async function coupleAdatum(user = BEN) {
  return h.say('couple customer 10000 to account "Adatum Corporation"', user);
}

describe('Undo of a manual couple, from its card', () => {
  it('Undo uncouples; a second click answers who undid it and when; the undo itself can be undone', async () => {
    const before = await couplingsNow();
    const coupled = await coupleAdatum();
    expect(cardText(coupled.card)).toMatch(/is now coupled to account Adatum Corporation/);
    expect(titles(coupled.card)).toEqual(['Undo']);
    const coupledState = await couplingsNow();

    const undone = await h.click(button(coupled.card, 'Undo'), coupled.id, {}, BEN);
    expect(cardText(undone.card)).toMatch(/^Undo: Coupling of CUSTOMER\nBy Ben User/);
    expect(cardText(undone.card)).toMatch(/1 change undone\.\nUndone:\n• CUSTOMER 10000: uncoupled\./);
    expect(await couplingsNow()).toEqual(before);

    const twice = await h.click(button(coupled.card, 'Undo'), coupled.id, {}, BEN);
    expect(cardText(twice.card)).toMatch(
      /was already undone by Ben User at \d{4}-\d\d-\d\d \d\d:\d\d UTC; nothing was changed/,
    );
    expect(await couplingsNow()).toEqual(before);

    const redone = await h.click(button(undone.card, 'Undo'), undone.id, {}, BEN);
    expect(cardText(redone.card)).toMatch(/^Undo: Undo of CUSTOMER/);
    expect(cardText(redone.card)).toMatch(/CUSTOMER 10000: coupled again/);
    expect(await couplingsNow()).toEqual(coupledState);
  });

  it('someone else’s job is refused for a user who is not a manager, and nothing changes', async () => {
    const coupled = await coupleAdatum(ADA);
    const state = await couplingsNow();
    const refused = await h.click(button(coupled.card, 'Undo'), coupled.id, {}, BEN);
    expect(cardText(refused.card)).toMatch(
      /Only Ada Manager or a manager can undo job .*Nothing was changed/,
    );
    expect(await couplingsNow()).toEqual(state);
  });

  it('forged card data (another job id without the seal) is refused, and nothing changes', async () => {
    const coupled = await coupleAdatum();
    const state = await couplingsNow();
    const b = button(coupled.card, 'Undo');
    const forged = await h.click(
      { ...b, data: { ...b.data, jobId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' } },
      coupled.id,
      {},
      BEN,
    );
    expect(cardText(forged.card)).not.toMatch(/Undone/);
    expect(await couplingsNow()).toEqual(state);
  });
});

describe('undo job <id> / undo last, typed', () => {
  it('undo last undoes my latest job; with nothing left it says how to find one', async () => {
    await coupleAdatum();
    expect(cardText((await h.say('undo last', BEN)).card)).toMatch(/CUSTOMER 10000: uncoupled/);
    expect(await couplingsNow()).toEqual([]);
    expect(cardText((await h.say('undo last', ADA)).card)).toMatch(/You have no job left to undo/);
  });

  it('a job id that is not one is refused with how to find one', async () => {
    const answer = await h.say('undo job 12345', BEN);
    expect(answer.messages.map((m) => m.text ?? cardText(m.attachments?.[0]?.content)).join('\n')).toMatch(
      /not a job id; type status/,
    );
  });
});

describe('Undo of Create New', () => {
  it('deletes the Dataverse row it created and the coupling', async () => {
    const setUp = await h.say('couple customer 50000', BEN);
    const created = await h.click(
      button(setUp.card, 'Create New'),
      setUp.id,
      { syncAfterCoupling: 'No' },
      BEN,
    );
    expect(cardText(created.card)).toMatch(/Create New/);
    const dvId = (await h.db.db.collection('couplings').findOne({ bcNumber: '50000' }))?.['dvId'] as string;
    expect(await h.db.db.collection('dv.account').countDocuments({ _id: dvId as never })).toBe(1);
    const undone = await h.click(button(created.card, 'Undo'), created.id, {}, BEN);
    expect(cardText(undone.card)).toMatch(/deleted\./);
    expect(await h.db.db.collection('dv.account').countDocuments({ _id: dvId as never })).toBe(0);
    expect(await couplingsNow()).toEqual([]);
  });
});

describe('Undo of a synchronization', () => {
  async function syncToDataverse(user = BEN) {
    const asked = await h.say('sync customer 10000', user);
    return h.click(button(asked.card, 'Synchronize'), asked.id, { direction: 'ToIntegrationTable' }, user);
  }

  it('restores the fields it wrote, from the values it recorded before writing', async () => {
    await coupleAdatum(ADA);
    const phoneBefore = (await account())?.['telephone1'];
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0199"', ADA);
    const done = await syncToDataverse();
    expect((await account())?.['telephone1']).toBe('+1 425 555 0199');
    const undone = await h.click(button(done.card, 'Undo'), done.id, {}, BEN);
    expect(cardText(undone.card)).toMatch(/restored .*telephone1 = \(425\) 555-0100/);
    expect((await account())?.['telephone1']).toBe(phoneBefore);
    // The coupling's last synchronization is as before too: the BC change is still there to send.
    const again = await h.say('sync customer 10000', BEN);
    expect(cardText(again.card)).toMatch(/10000 Adatum Corporation — Changed in Business Central/);
    expect((await adatum())?.fields['Phone No.']).toBe('+1 425 555 0199');
  });

  it('journals one entry per record written; a journal of the older two-entry form is undone alike', async () => {
    await coupleAdatum(ADA);
    const phoneBefore = (await account())?.['telephone1'];
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0199"', ADA);
    const done = await syncToDataverse();
    const journal = h.db.db.collection('undoJournal');
    const jobIds = await journal.distinct('jobId', { 'entry.kind': 'fieldsOverwritten' });
    expect(jobIds).toHaveLength(1);
    const docs = await journal.find({ jobId: jobIds[0] }).toArray();
    expect(docs.map((d) => (d['entry'] as { kind: string }).kind)).toEqual(['fieldsOverwritten']);
    // Rewritten as a journal of before the merge: the state first, then the fields, as two entries.
    const { syncState, ...fields } = docs[0]?.['entry'] as { syncState: { mapping: string; bcId: string } };
    await journal.deleteMany({ jobId: jobIds[0] });
    const seq = Number(docs[0]?.['seq']);
    await journal.insertMany([
      {
        ...docs[0],
        _id: `${String(jobIds[0])}\nss\n${syncState.mapping}\n${syncState.bcId}`,
        seq: seq - 1,
        entry: { kind: 'syncState', ...syncState },
      },
      { ...docs[0], seq, entry: fields },
    ] as never[]);

    const undone = await h.click(button(done.card, 'Undo'), done.id, {}, BEN);
    expect(cardText(undone.card)).toMatch(/1 change undone\./);
    expect((await account())?.['telephone1']).toBe(phoneBefore);
    const again = await h.say('sync customer 10000', BEN);
    expect(cardText(again.card)).toMatch(/10000 Adatum Corporation — Changed in Business Central/);
  });

  it('a field someone changed after the synchronization is not restored, and is listed with why', async () => {
    await coupleAdatum(ADA);
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0199" email="new@adatum.com"', ADA);
    const done = await syncToDataverse();
    await h.say('sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0000"', ADA);
    const undone = await h.click(button(done.card, 'Undo'), done.id, {}, BEN);
    const text = cardText(undone.card);
    expect(text).toMatch(/1 change undone, 1 could not be undone\./);
    expect(text).toMatch(
      /Not undone:\n• account .* in Dataverse \(Customer 10000\): restored .*emailaddress1 = robert\.townes@adatum\.com.*; not restored, changed since the job: telephone1 \(now \+1 425 555 0000\)/,
    );
    expect((await account())?.['telephone1']).toBe('+1 425 555 0000');
    expect((await account())?.['emailaddress1']).toBe('robert.townes@adatum.com');
  });

  it('a job that changed several records is a manager’s to undo', async () => {
    await coupleAdatum(ADA);
    await h.say('couple customer 20000 to account "trey research"', ADA);
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0199"', ADA);
    await h.say('sandbox edit customer 20000 phone="+1 425 555 0299"', ADA);
    const asked = await h.say('sync customer 10000 20000', BEN);
    const done = await h.click(
      button(asked.card, 'Synchronize'),
      asked.id,
      { direction: 'ToIntegrationTable' },
      BEN,
    );
    await h.settle();
    const refused = await h.say('undo last', BEN);
    expect(cardText(refused.card)).toMatch(/Only managers can undo a job that changed 2 records/);
    expect(done.body?.statusCode).toBe(200);
  });
});
