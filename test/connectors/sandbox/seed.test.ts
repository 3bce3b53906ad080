import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { SandboxBusinessCentral } from '../../../connectors/sandbox/sandbox-business-central.js';
import { SandboxDataverse } from '../../../connectors/sandbox/sandbox-dataverse.js';
import {
  OTHER_COMPANY_ID,
  resetSandbox,
  SANDBOX_COMPANY_ID,
  seedSandbox,
} from '../../../connectors/sandbox/seed.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

let test: TestDb;
let db: Db;
let bc: SandboxBusinessCentral;
let dv: SandboxDataverse;

beforeAll(async () => {
  test = await useTestDb();
  db = test.db;
  bc = new SandboxBusinessCentral(db);
  dv = new SandboxDataverse(db);
});
afterAll(() => test.cleanup());

const count = (name: string) => db.collection(name).countDocuments({});
const names = async (table: 'account', filter: (f: Record<string, unknown>) => boolean = () => true) => {
  const out: string[] = [];
  for await (const page of dv.list(table, []))
    out.push(...page.filter((r) => filter(r.fields)).map((r) => String(r.fields['name'])));
  return out;
};

describe('seedSandbox', () => {
  it('seeds the CRONUS demo company on the first start only', async () => {
    expect(await seedSandbox(db)).toEqual({ seeded: true });
    const customers = await count('bc.customer');
    const accounts = await count('dv.account');
    expect(await seedSandbox(db)).toEqual({ seeded: false });
    expect(await count('bc.customer')).toBe(customers);
    expect(await count('dv.account')).toBe(accounts);
  });

  it('does not bring back a demo row someone deleted, until sandbox reset', async () => {
    const row = (await dv.findByField('account', 'name', 'Contoso Pharmaceuticals', 1))[0]!;
    await dv.delete('account', row.id);
    await seedSandbox(db);
    expect(await dv.get('account', row.id)).toBeNull();
    await resetSandbox(db);
    expect((await dv.get('account', row.id))?.fields['name']).toBe('Contoso Pharmaceuticals');
  });

  it.each([
    ['10000', 'Adatum Corporation'],
    ['20000', 'Trey Research'],
    ['30000', 'School of Fine Art'],
    ['40000', 'Alpine Ski House'],
    ['50000', 'Relecloud'],
  ])('has customer %s %s, not blocked', async (number, name) => {
    const c = await bc.getByNumber('Customer', number);
    expect(c?.fields).toMatchObject({ Name: name, Blocked: '' });
    expect(String(c?.fields['E-Mail'])).toMatch(/@/);
  });

  it.each([
    ['Vendor', '10000', 'Name', 'Fabrikam, Inc.'],
    ['Vendor', '40000', 'Name', 'Wide World Importers'],
    ['Item', '1896-S', 'Description', 'ATHENS Desk'],
    ['Item', '1900-S', 'Description', 'PARIS Guest Chair, black'],
    ['Resource', 'LINDA', 'Name', 'Linda Martin'],
    ['Salesperson/Purchaser', 'PS', 'Name', 'Peter Saddow'],
    ['Currency', 'GBP', 'Description', 'Pound Sterling'],
  ] as const)('has %s %s', async (table, number, field, value) => {
    expect((await bc.getByNumber(table, number))?.fields[field]).toBe(value);
  });

  it('has a blocked customer', async () => {
    expect((await bc.getByNumber('Customer', '60000'))?.fields['Blocked']).toBe('All');
  });

  it('gives Dataverse exact, near and duplicate matches, other companies and unclaimed rows', async () => {
    const all = await names('account');
    expect(all).toEqual(
      expect.arrayContaining(['Adatum Corporation', 'trey research', 'School  of Fine Art', 'Fabrikam Inc']),
    );
    expect(all.filter((n) => n === 'Alpine Ski House')).toHaveLength(2);
    expect(await names('account', (f) => f['bcbi_companyid'] === OTHER_COMPANY_ID)).toContain(
      'Adatum Corporation',
    );
    expect((await names('account', (f) => f['bcbi_companyid'] === null)).length).toBeGreaterThan(0);
    expect((await names('account', (f) => f['customertypecode'] === 11)).length).toBeGreaterThan(0);
    expect((await names('account', (f) => f['statecode'] === 1)).length).toBeGreaterThan(0);
  });

  it('seeds nothing coupled and gives every other table rows of its own', async () => {
    expect(await count('couplings')).toBe(0);
    for (const name of [
      'dv.contact',
      'dv.product',
      'dv.systemuser',
      'dv.transactioncurrency',
      'bc.contact',
    ]) {
      expect(await count(name)).toBeGreaterThan(0);
    }
    const contact = (await dv.findByField('contact', 'fullname', 'Robert Townes', 1))[0];
    expect(contact?.fields['parentcustomerid']).toBeTruthy();
    expect(contact?.fields['bcbi_companyid']).toBe(SANDBOX_COMPANY_ID);
  });
});
