import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { button, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../../bot/teams-activity.js';
import type { Row } from '../../kit/loopback/fake-store.js';
import { startHttpBot, type HttpBot } from './http-bot.js';

/**
 * A missing permission reads as what to fix, wherever it shows (check connection, sync results, the
 * errors list, coupling outcomes), with the service's own words kept after it as details.
 */
let h: HttpBot;
beforeAll(async () => {
  h = await startHttpBot();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const DV_WRITE =
  /the application user lacks Write on account in Dataverse: give it a security role with that privilege \(prvWriteAccount\)\. Details: .*Principal user \(Id=[0-9a-f-]+, type=8[^)]*\), is missing prvWriteAccount privilege/;
const BC_MODIFY =
  /the application lacks Modify permission on table Customer in Business Central: give it a permission set with Modify on Customer \(page Microsoft Entra Applications\)\. Details: .*You do not have the following permissions on TableData Customer: Modify/;

const customer = (number: string): Row =>
  h.fakes.bc
    .table('customers')
    .all()
    .find((r) => r.number === number) as Row;
const adatum = (): Row =>
  h.fakes.dv
    .table('accounts')
    .all()
    .find((r) => r.name === 'Adatum Corporation' && r._bcbi_companyid_value === h.fakes.bc.companyId) as Row;

async function syncOne(direction: string): Promise<string> {
  const asked = await h.ask('sync customer 10000', BEN);
  const done = await h.click(button(asked.card, 'Synchronize'), { direction }, BEN);
  await h.settle();
  return cardText(done.body?.value);
}

describe('permission refusals in plain words', () => {
  it('check connection names the missing Dataverse privilege and the missing BC permission', async () => {
    h.fakes.dv.deny('accounts', 'Read');
    h.fakes.bc.deny('customers', 'Read');
    const { text } = await h.ask('check connection', ADA);
    expect(text).toMatch(
      /Business Central: NOT working — .*Business Central answered 403: the application lacks Read permission on table Customer in Business Central: give it a permission set with Read on Customer \(page Microsoft Entra Applications\)\. Details: Sorry, the current permissions prevented the action\. \(TableData 18 Customer Read: Base Application\)/,
    );
    expect(text).toMatch(
      /Dataverse: NOT working — .*Dataverse answered 403: the application user lacks Read on account in Dataverse: give it a security role with that privilege \(prvReadAccount\)\. Details: Principal user/,
    );
  });

  it('a sync that may not write the account: the result and the errors list say which privilege', async () => {
    expect((await h.ask('couple customer 10000 to account "Adatum Corporation"', ADA)).text).toMatch(
      /^Coupled/,
    );
    h.fakes.dv.deny('accounts', 'Write');
    h.fakes.bc.table('customers').update(String(customer('10000').id), { phoneNumber: '+1 425 555 0199' });
    const before = adatum();
    const result = await syncOne('ToIntegrationTable');
    expect(result).toMatch(/Failed 1/);
    expect(result).toMatch(DV_WRITE);
    expect(adatum()).toEqual(before);
    const errors = await h.ask('errors customers', ADA);
    expect(errors.text).toMatch(/10000 Adatum Corporation/);
    expect(errors.text).toMatch(DV_WRITE);
  });

  it('a sync that may not modify the customer (BC text before version 20) says so in plain words', async () => {
    expect((await h.ask('couple customer 10000 to account "Adatum Corporation"', ADA)).text).toMatch(
      /^Coupled/,
    );
    h.fakes.bc.deny('customers', 'Modify', 'before-bc20');
    h.fakes.dv.table('accounts').update(String(adatum().accountid), { telephone1: '+1 425 555 0177' });
    const result = await syncOne('FromIntegrationTable');
    expect(result).toMatch(/Failed 1/);
    expect(result).toMatch(BC_MODIFY);
    expect(customer('10000').phoneNumber).toBe('(425) 555-0100');
  });

  it('Create New without Create on account: the coupling outcome names the privilege; nothing is coupled', async () => {
    h.fakes.dv.deny('accounts', 'Create');
    const setUp = await h.ask('couple customer 40000', ADA);
    const done = await h.click(button(setUp.card, 'Create New'), {}, ADA);
    await h.settle();
    const text = [cardText(done.body?.value), ...done.messages.map((m) => m.text ?? '')].join('\n');
    expect(text).toMatch(
      /^That did not work\nDataverse refused the new account: the application user lacks Create on account in Dataverse: give it a security role with that privilege \(prvCreateAccount\)\. Details: Dataverse answered 403: Principal user/,
    );
    expect(await h.db.db.collection('couplings').countDocuments({ bcNumber: '40000' })).toBe(0);
  });
});
