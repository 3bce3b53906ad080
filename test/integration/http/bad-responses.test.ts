import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault, SeenRequest } from '../../kit/loopback/fake-base.js';
import type { Row } from '../../kit/loopback/fake-store.js';
import { button, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../../bot/teams-activity.js';
import { startHttpBot, type HttpBot } from './http-bot.js';

let h: HttpBot;
beforeAll(async () => {
  h = await startHttpBot();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

type Case = [name: string, fault: Fault, says: RegExp];
const HTML: Case = [
  'an HTML error page',
  { kind: 'html' },
  /sent an HTML page titled "Service Unavailable" instead of data for/,
];
const TRUNCATED: Case = [
  'truncated JSON',
  { kind: 'truncated' },
  /sent an incomplete or malformed response for .*\(Unterminated/,
];
const ODATA_200: Case = [
  'a 200 carrying an OData error',
  { kind: 'odata-error-200', message: 'An unexpected error occurred.' },
  /reported an error for .*: An unexpected error occurred\. \[Internal_ServerError\]/,
];
const missing = (field: string): Case => [
  'a missing field',
  { kind: 'missing-field', field },
  new RegExp(`without the required field "${field}"`),
];

const row = (set: 'customers' | 'accounts', match: (r: Row) => boolean): Row => {
  const table = set === 'customers' ? h.fakes.bc.table(set) : h.fakes.dv.table(set);
  const found = table.all().find(match);
  if (!found) throw new Error(`no such ${set} row`);
  return found;
};
const adatum = () =>
  row('accounts', (r) => r.name === 'Adatum Corporation' && r._bcbi_companyid_value === h.fakes.bc.companyId);
const customer10000 = () => row('customers', (r) => r.number === '10000');
const bothSides = () => ({ dv: structuredClone(adatum()), bc: structuredClone(customer10000()) });
const isGet = (set: string) => (r: SeenRequest) => r.method === 'GET' && r.path.endsWith(`/${set}`);
const couplings = () => h.db.db.collection('couplings').find().sort({ _id: 1 }).toArray();

/** Customer 10000 coupled to Adatum, its phone changed in BC; the Synchronize Now card. */
async function coupledWithBcChange(): Promise<{ card: unknown }> {
  await h.ask('couple customer 10000 to account "Adatum Corporation"', ADA);
  h.fakes.bc.table('customers').update(String(customer10000().id), { phoneNumber: '+1 425 555 0190' });
  return h.ask('sync customer 10000', BEN);
}

describe('bad responses from Business Central: a clear error naming the record, nothing changed', () => {
  it.each([HTML, TRUNCATED, ODATA_200, missing('lastModifiedDateTime')])(
    'show customer 10000 answered with %s',
    async (_name, fault, says) => {
      const before = await h.snapshot();
      h.fakes.bc.failNext(fault, isGet('customers'));
      const { text } = await h.ask('show customer 10000', BEN);
      expect(text).toMatch(/^That did not work\nBusiness Central /);
      expect(text).toMatch(says);
      expect(text).toContain('Customer 10000');
      expect(await h.snapshot()).toEqual(before);
    },
  );

  it('sync customers modified whose page of changes lacks a field stops with that reason, writing nothing', async () => {
    await h.ask('couple customer 10000 to account "Adatum Corporation"', ADA);
    h.fakes.bc.table('customers').update(String(customer10000().id), { phoneNumber: '+1 425 555 0191' });
    const before = { sides: bothSides(), couplings: await couplings() };
    h.fakes.bc.failNext(missing('lastModifiedDateTime')[1], isGet('customers'));
    await h.ask('sync customers modified', ADA);
    const { text } = await h.ask('status customers', ADA);
    expect(text).toMatch(/without the required field "lastModifiedDateTime"/);
    expect({ sides: bothSides(), couplings: await couplings() }).toEqual(before);
  });
});

describe('bad responses from Dataverse while synchronizing one record: its reason, nothing else changes', () => {
  it.each([HTML, TRUNCATED, ODATA_200, missing('modifiedon')])(
    'reading the coupled account answered with %s',
    async (_name, fault, says) => {
      const asked = await coupledWithBcChange();
      const before = { sides: bothSides(), couplings: await couplings() };
      h.fakes.dv.failNext(fault, isGet('accounts'));
      const done = await h.click(button(asked.card, 'Synchronize'), { direction: 'ToIntegrationTable' }, BEN);
      await h.settle();
      const text = cardText(done.body?.value);
      expect(text).toMatch(/^Synchronization of CUSTOMER\n[\s\S]*Failed: The job stopped: Dataverse /);
      expect(text).toMatch(says);
      expect(text).toContain('Modified 0');
      expect({ sides: bothSides(), couplings: await couplings() }).toEqual(before);
    },
  );

  it.each([
    [HTML[0], HTML[1], /Dataverse sent an unreadable \$batch response .*Content-Type: text\/html/],
    // The server's own words reach the record, which is named.
    [
      ODATA_200[0],
      ODATA_200[1],
      /Dataverse reported an error for account [0-9a-f-]{36} \(in a \$batch of 1 writes\): An unexpected error occurred\. \[Internal_ServerError\]/,
    ],
  ] as Case[])('writing the account answered with %s', async (_name, fault, says) => {
    const asked = await coupledWithBcChange();
    const before = bothSides();
    h.fakes.dv.failNext(fault, (r) => r.method !== 'GET');
    const done = await h.click(button(asked.card, 'Synchronize'), { direction: 'ToIntegrationTable' }, BEN);
    await h.settle();
    const text = cardText(done.body?.value);
    expect(text).toContain('Modified 0 · Deleted 0 · Unchanged 0 · Skipped 0 · Failed 1');
    expect(text).toMatch(/10000 Adatum Corporation: Failed\nDataverse refused the update: Dataverse /);
    expect(text).toMatch(says);
    expect(bothSides()).toEqual(before);
    // The failure is the record's error, to retry from the errors list.
    expect((await h.ask('errors customers', BEN)).text).toMatch(/10000 Adatum Corporation/);
  });
});
