import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../bot/commands/index.js';
import { MAX_COMMAND_LENGTH, parseCommand } from '../../../bot/parser/parse.js';

/** The command a text selects, named by its example, with the slot values the handler receives. */
function parsed(text: string) {
  const r = parseCommand(text, COMMANDS);
  return r.ok ? { command: r.command.example, values: r.values } : { message: r.message };
}

const GUID = '8f4c2a61-3b7e-4d09-9c15-2e6a7b1d5f30';

describe('the command language selects the command and its values', () => {
  it.each([
    ['help', 'help', {}],
    ['HELP', 'help', {}],
    ['<at>Coupling Assistant</at> help', 'help', {}],
    ['show customer 10000', 'show customer 10000', { table: 'Customer', number: '10000' }],
    ['Show Customers 10000', 'show customer 10000', { table: 'Customer', number: '10000' }],
    ['show item 1896-s', 'show customer 10000', { table: 'Item', number: '1896-S' }],
    ['show salespeople JR', 'show customer 10000', { table: 'Salesperson/Purchaser', number: 'JR' }],
    ['couple customer 10000', 'couple customer 10000', { table: 'Customer', number: '10000' }],
    [
      'couple customer 10000 to account "Adatum Corporation"',
      'couple customer 10000 to account "Adatum Corporation"',
      { table: 'Customer', number: '10000', dvTable: 'account', row: { name: 'Adatum Corporation' } },
    ],
    [
      'couple customer 10000 to account Adatum Corporation',
      'couple customer 10000 to account "Adatum Corporation"',
      { table: 'Customer', number: '10000', dvTable: 'account', row: { name: 'Adatum Corporation' } },
    ],
    [
      `couple vendor 20000 to accounts ${GUID.toUpperCase()}`,
      'couple customer 10000 to account "Adatum Corporation"',
      { table: 'Vendor', number: '20000', dvTable: 'account', row: { id: GUID } },
    ],
    [`couple account ${GUID}`, `couple account ${GUID}`, { dvTable: 'account', id: GUID }],
    [`couple contact ${GUID}`, `couple account ${GUID}`, { dvTable: 'contact', id: GUID }],
    ['couple contact CT000001', 'couple customer 10000', { table: 'Contact', number: 'CT000001' }],
    [
      'uncouple customer 10000 20000..40000 50000',
      'uncouple customer 10000 20000',
      {
        table: 'Customer',
        numbers: [{ number: '10000' }, { from: '20000', to: '40000' }, { number: '50000' }],
      },
    ],
    [
      'uncouple customers 10000 .. 30000',
      'uncouple customer 10000 20000',
      { table: 'Customer', numbers: [{ from: '10000', to: '30000' }] },
    ],
    ['uncouple all customers', 'uncouple all customers', { mapping: { table: 'Customer' } }],
    ['uncouple all ITEM-PRODUCT', 'uncouple all customers', { mapping: { name: 'ITEM-PRODUCT' } }],
    ['mappings', 'mappings', {}],
    ['errors customers', 'errors customers', { mapping: { table: 'Customer' } }],
    ['errors customers recurring', 'errors customers recurring', { mapping: { table: 'Customer' } }],
    ['Errors Recurring', 'errors customers recurring', {}],
    ['error ITEM-PRODUCT recurring', 'errors customers recurring', { mapping: { name: 'ITEM-PRODUCT' } }],
    ['mapping customers', 'mapping customers', { mapping: { table: 'Customer' } }],
    [
      'mapping customers direction bidirectional',
      'mapping customers direction bidirectional',
      { mapping: { table: 'Customer' }, direction: 'Bidirectional' },
    ],
    [
      'mapping item-product direction to-dataverse',
      'mapping customers direction bidirectional',
      { mapping: { name: 'ITEM-PRODUCT' }, direction: 'ToIntegrationTable' },
    ],
    [
      'mapping vendors sync-only-coupled off',
      'mapping customers sync-only-coupled off',
      { mapping: { table: 'Vendor' }, on: false },
    ],
    [
      'mapping customers SyncOnlyCoupled ON',
      'mapping customers sync-only-coupled off',
      { mapping: { table: 'Customer' }, on: true },
    ],
    ['mapping customers reset', 'mapping customers reset', { mapping: { table: 'Customer' } }],
    [
      'sandbox edit customer 10000 phone="+1 425 555 0100"',
      'sandbox edit customer 10000 phone="+1 425 555 0100"',
      {
        entity: { bc: 'Customer', dv: undefined },
        key: { number: '10000' },
        fields: { phone: '+1 425 555 0100' },
      },
    ],
    [
      'sandbox edit account “Adatum Corporation” telephone1="+1 425 555 0199" city=Atlanta',
      'sandbox edit customer 10000 phone="+1 425 555 0100"',
      {
        entity: { bc: undefined, dv: 'account' },
        key: { name: 'Adatum Corporation' },
        fields: { telephone1: '+1 425 555 0199', city: 'Atlanta' },
      },
    ],
    [`sandbox delete account ${GUID}`, `sandbox delete account ${GUID}`, { table: 'account', id: GUID }],
    [
      'sandbox add account name="Contoso Pharmaceuticals"',
      'sandbox add account name="Contoso Pharmaceuticals"',
      { table: 'account', fields: { name: 'Contoso Pharmaceuticals' } },
    ],
    ['sandbox reset', 'sandbox reset', {}],
  ])('%s', (text, command, values) => {
    expect(parsed(text)).toEqual({ command, values });
  });
});

describe('a wrong command is explained, with what to type instead', () => {
  it.each([
    [
      'couple custmer 10000',
      /^I don't know 'custmer' — did you mean customer\? For example: couple customer 10000$/,
    ],
    ['show vendr 10000', /did you mean vendor\?/],
    ['shwo customer 10000', /^I don't know 'shwo' — did you mean show\? Type help/],
    ['frobnicate the widgets', /^I don't know the command 'frobnicate'\. Type help to see what I can do\.$/],
    ['couple customer', /^Which record\? Add its number\. For example: couple customer 10000$/],
    ['show', /^Which table\? Business Central tables: customer, vendor/],
    ['couple account 10000', /'10000' is not a Dataverse id \(a GUID\)\. For example: couple account/],
    ['show account 10000', /'account' is not one of the Business Central tables here/],
    ['show customer 10000 please', /I didn't understand 'please'\. For example: show customer 10000/],
    [
      'mapping customers direction sideways',
      /I don't know 'sideways'\. Directions: bidirectional, to-dataverse, from-dataverse/,
    ],
    ['mapping customers sync-only-coupled maybe', /'maybe' is not on or off/],
    ['mapping customers directoin bidirectional', /did you mean direction\?/],
    ['sandbox frob', /^After 'sandbox' I expected edit, delete, add or reset\./],
    ['sandbox edit customer 10000 phone', /'phone' is not a key="value" pair/],
    ['couple customer 10000 to account "Adatum', /quote is not closed/],
    ['uncouple customer 10000..', /'10000\.\.' is not a Business Central number/],
    ['', /^Hi! Type help/],
    ['<at>Coupling Assistant</at>', /^Hi! Type help/],
  ])('%s', (text, message) => {
    const r = parsed(text);
    expect(r).toHaveProperty('message');
    expect((r as { message: string }).message).toMatch(message);
  });

  it('refuses text over 2,000 characters before parsing it', () => {
    const text = `show customer ${'1'.repeat(MAX_COMMAND_LENGTH)}`;
    expect(parsed(text)).toEqual({
      message: `That message is too long (${text.length.toLocaleString('en-US')} characters); commands are at most 2,000.`,
    });
  });

  it('accepts text of exactly 2,000 characters (and explains what is wrong with it instead)', () => {
    const text = `show customer 10000 ${'x'.repeat(MAX_COMMAND_LENGTH - 20)}`;
    expect(text).toHaveLength(MAX_COMMAND_LENGTH);
    expect((parsed(text) as { message: string }).message).toMatch(/^I didn't understand 'x+'/);
  });
});
