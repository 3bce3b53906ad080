import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountId } from '../../../connectors/sandbox/seed-data-dv.js';
import { buttonsOf, cardOf, startBotHarness, type BotHarness } from '../../support/bot-harness.js';
import { playFlow } from '../flow.js';
import { ADA, BEN } from '../teams-activity.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.close());
// Every scenario starts from the seeded demo data with nothing coupled.
beforeEach(async () => {
  await h.say('sandbox reset', ADA);
  await h.say('mapping customers reset', ADA).then(async (sent) => {
    const confirm = buttonsOf(cardOf(sent[0])).find((b) => b.title === 'Reset to defaults');
    if (confirm) await h.click(confirm, {}, ADA);
  });
});

const ADATUM = accountId('adatum');
const CONTOSO = accountId('contoso');

describe('commands, as conversations of [user says, bot answers]', () => {
  it('help lists the commands, marks manager-only ones, and shows the sandbox commands here', () =>
    playFlow(h, [
      [
        BEN,
        'help',
        /^Coupling Assistant\n[\s\S]*Commands marked Manager only need a manager\.[\s\S]*show customer 10000/,
      ],
      [BEN, 'help', /uncouple all customers\nDelete Couplings for the whole table mapping · Manager only/],
      [BEN, 'help', /Sandbox[\s\S]*sandbox reset/],
      [ADA, 'HELP', /You are a manager/],
    ]));

  it('show, then couple directly by exact name, then show the coupling', () =>
    playFlow(h, [
      [
        BEN,
        'show customer 10000',
        /^Customer 10000\nAdatum Corporation\n[\s\S]*City: Atlanta[\s\S]*Not coupled to Dataverse\.$/,
      ],
      [
        BEN,
        'couple customer 10000 to account "Adatum Corporation"',
        /^Coupled\nBy Ben User · .+ UTC\nCustomer 10000 Adatum Corporation is now coupled to account Adatum Corporation/,
      ],
      [
        BEN,
        'show customers 10000',
        /Coupled to account Adatum Corporation\nDataverse id: [\s\S]*Coupled by: Ben User/,
      ],
      [
        BEN,
        'couple customer 10000 to account "Adatum Corporation"',
        /^Already coupled[\s\S]*nothing was changed/,
      ],
    ]));

  it('couple customer 10000 opens Set Up Coupling with candidates inside the filter, best first', async () => {
    const sent = await h.say('couple customer 10000');
    const card = cardOf(sent[0]);
    const buttons = buttonsOf(card).map((b) => b.title);
    expect(buttons).toEqual(['Couple', 'Create New', 'Cancel']);
    const pick = buttonsOf(card).find((b) => b.title === 'Couple');
    expect(pick?.data).toMatchObject({ mapping: 'CUSTOMER', number: '10000', dvId: ADATUM });
    await playFlow(h, [
      [
        BEN,
        'couple customer 10000',
        /^Set Up Coupling\nCustomer 10000 Adatum Corporation[\s\S]*best first:\nAdatum Corporation\n/,
      ],
    ]);
  });

  it('couple from the Dataverse side follows the mapping: refused while Synch. Only Coupled Records is on', () =>
    playFlow(h, [
      [
        BEN,
        `couple account ${CONTOSO}`,
        /^That did not work\n.*(Synch\. Only Coupled Records|only coupled)/i,
      ],
      [
        ADA,
        'mapping customers sync-only-coupled off',
        /Synch\. Only Coupled Records off[\s\S]*Synch\. Only Coupled Records: No/,
      ],
      [
        BEN,
        `couple account ${CONTOSO}`,
        /^Coupled[\s\S]*Contoso Pharmaceuticals[\s\S]*created from the Dataverse row/,
      ],
    ]));

  it('uncouple asks for confirmation first and says what it will do', () =>
    playFlow(h, [
      [BEN, 'couple customer 10000 to account "Adatum Corporation"', /^Coupled/],
      [
        BEN,
        'uncouple customer 10000',
        /^Delete Coupling\nDelete the coupling of this record\?[\s\S]*Customer 10000$/,
      ],
      [
        BEN,
        'uncouple customers 10000..30000',
        /these 3 records[\s\S]*Customer 10000\nCustomer 20000\nCustomer 30000$/,
      ],
      [BEN, 'show customer 10000', /Coupled to account Adatum Corporation/],
    ]));

  it('uncouple all is for managers; a manager gets a confirmation naming the number of couplings', () =>
    playFlow(h, [
      [BEN, 'couple customer 10000 to account "Adatum Corporation"', /^Coupled/],
      [
        BEN,
        'uncouple all customers',
        /^That did not work\nOnly managers can delete all couplings of a table mapping/,
      ],
      [
        ADA,
        'uncouple all customers',
        /^Delete Couplings: CUSTOMER\nDelete all 1 coupling of table mapping CUSTOMER/,
      ],
    ]));

  it('mappings and one mapping’s fields', () =>
    playFlow(h, [
      [
        BEN,
        'mappings',
        /^Integration Table Mappings\nCUSTOMER\nCustomer ↔ account[\s\S]*VENDOR[\s\S]*CURRENCY/,
      ],
      [BEN, 'mapping customers', /CUSTOMER[\s\S]*Phone No\.[\s\S]*telephone1/],
      [BEN, 'mapping salespeople', /SALESPEOPLE/],
      [BEN, 'mapping widgets', /There is no table mapping "WIDGETS"\. The mappings are: CUSTOMER, VENDOR/],
    ]));

  it('mapping changes are for managers, and say the settings after the change', () =>
    playFlow(h, [
      [BEN, 'mapping customers direction to-dataverse', /Only managers can change table mappings/],
      [
        ADA,
        'mapping customers direction to-dataverse',
        /direction set\n[\s\S]*Direction: To Dataverse \(ToIntegrationTable\)/,
      ],
      [BEN, 'mappings', /CUSTOMER\nCustomer ↔ account\nDirection: To Dataverse/],
      [BEN, 'mapping customers reset', /Only managers can change table mappings/],
      [
        ADA,
        'mapping customers reset',
        /^Reset table mapping CUSTOMER\nPut table mapping CUSTOMER back to its defaults/,
      ],
    ]));

  it('sandbox edits act as someone changing the other system', async () => {
    await playFlow(h, [
      [
        BEN,
        'sandbox edit customer 10000 phone="+1 425 555 0177"',
        /^Sandbox edit[\s\S]*Customer 10000 Adatum Corporation changed in Business Central\.\nphone: \+1 425 555 0177/,
      ],
      [BEN, 'show customer 10000', /Phone No\.: \+1 425 555 0177/],
      [
        BEN,
        'sandbox edit account "Contoso Pharmaceuticals" telephone1="+1 617 555 0100"',
        /account Contoso Pharmaceuticals .* changed in Dataverse\.\ntelephone1: \+1 617 555 0100/,
      ],
      // Two rows carry that name; the one of this company (inside the mapping's filter) is meant.
      [
        BEN,
        'sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0199"',
        new RegExp(`account Adatum Corporation \\(${ADATUM}\\) changed`),
      ],
      [
        BEN,
        'sandbox edit customer "Adatum Corporation" phone=1',
        /Business Central records are picked by number/,
      ],
      [
        BEN,
        'sandbox add account name="Northwind Traders" address1_city=Seattle',
        /^Sandbox add[\s\S]*account Northwind Traders \(.+\) added in Dataverse/,
      ],
      [BEN, `sandbox delete account ${CONTOSO}`, /account Contoso Pharmaceuticals .* deleted in Dataverse/],
      [BEN, `sandbox delete account ${CONTOSO}`, /There is no account with id/],
      [BEN, 'sandbox reset', /Only managers can reset the sandbox \(it deletes every coupling\)/],
      [BEN, 'show customer 10000', /Phone No\.: \+1 425 555 0177/],
      [ADA, 'sandbox reset', /^Sandbox reset[\s\S]*The demo data is back as seeded; 0 couplings removed/],
      [BEN, 'show customer 10000', /^(?![\s\S]*\+1 425 555 0177)/],
    ]);
  });

  it('sandbox commands are refused when real connectors are configured', async () => {
    h.bot.services.connectorsKind = 'http';
    try {
      await playFlow(h, [
        [
          BEN,
          'sandbox reset',
          /Sandbox commands only work with the sandbox connectors[\s\S]*Nothing was changed/,
        ],
        [BEN, 'sandbox edit customer 10000 phone=1', /Sandbox commands only work/],
      ]);
    } finally {
      h.bot.services.connectorsKind = 'sandbox';
    }
  });

  it('a wrong word gets a suggestion, an unknown command points to help', () =>
    playFlow(h, [
      [
        BEN,
        'couple custmer 10000',
        /^I don't know 'custmer' — did you mean customer\? For example: couple customer 10000$/,
      ],
      [BEN, 'please do it all now', /Type help to see what I can do/],
      [BEN, 'show customer 99999', /There is no Customer 99999 in Business Central/],
    ]));
});
