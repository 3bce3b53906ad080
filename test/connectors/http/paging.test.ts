import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpConnectors } from '../../../connectors/http/create-http-connectors.js';
import { startHarness, type Harness } from '../../kit/loopback/harness.js';

/**
 * Both services may page any answer (the fakes page every query by 3 here). A record asked for by id on
 * a later page is found; an answer whose links never end, loop, or leave the host is an error, never a
 * partial answer taken for the whole (which the sync engine would read as "deleted").
 */
let h: Harness;
let c: HttpConnectors;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  for (const r of h.bc.table('customers').all()) h.bc.table('customers').delete(String(r.id));
  for (const r of h.dv.table('accounts').all()) h.dv.table('accounts').delete(String(r.accountid));
  h.bc.resetStats();
  h.dv.resetStats();
  c = h.connect();
});

const customers = (n: number) =>
  h.bc.seed(
    'customers',
    Array.from({ length: n }, (_, i) => ({
      number: String(10000 + i * 10),
      displayName: `C${i}`,
      blocked: ' ',
    })),
  );
const accounts = (n: number) =>
  h.dv.seed(
    'accounts',
    Array.from({ length: n }, (_, i) => ({ name: `A${i}`, statecode: 0, customertypecode: 3 })),
  );
const page = (link?: string) => ({
  kind: 'status' as const,
  status: 200,
  body: { value: [], ...(link ? { '@odata.nextLink': link } : {}) },
});

describe('reading by id across server-driven pages', () => {
  it('Business Central: 7 records asked by id come back whole, over 3 pages', async () => {
    const rows = customers(7);
    const found = await c.businessCentral.getManyByIds(
      'Customer',
      rows.map((r) => String(r.id)),
    );
    expect(found.map((r) => r.number).sort()).toEqual(rows.map((r) => String(r.number)).sort());
    expect(h.bc.requests).toHaveLength(3);
  });

  it('Dataverse: 7 rows asked by id come back whole, over 3 pages', async () => {
    const rows = accounts(7);
    const found = await c.dataverse.getMany(
      'account',
      rows.map((r) => String(r.accountid)),
    );
    expect(found.map((r) => r.id).sort()).toEqual(rows.map((r) => String(r.accountid)).sort());
    expect(h.dv.requests).toHaveLength(3);
  });

  it('candidates and exact-name look-ups read past the first page, up to their limit', async () => {
    h.dv.seed(
      'accounts',
      Array.from({ length: 8 }, () => ({ name: 'Same Name', statecode: 0, customertypecode: 3 })),
    );
    expect(await c.dataverse.findByField('account', 'name', 'Same Name', 5)).toHaveLength(5);
    expect(await c.dataverse.findByField('account', 'name', 'Same Name', 50)).toHaveLength(8);
  });
});

describe('answers that never end are errors, not partial answers', () => {
  it('a link back to a page already read stops the read with the reason', async () => {
    const rows = customers(2);
    const first = `${h.settings.businessCentral.serviceRoot}/companies(${h.bc.companyId})/customers?$skiptoken=1`;
    h.bc.failNext(page(first));
    h.bc.failNext(page(first));
    await expect(
      c.businessCentral.getManyByIds(
        'Customer',
        rows.map((r) => String(r.id)),
      ),
    ).rejects.toThrow(/sent a link back to a page of 2 Customer records already read; reading stopped/);
  });

  it('more pages than the ids asked for can fill stops the read with the reason', async () => {
    const rows = accounts(2);
    for (let i = 1; i <= 10; i++)
      h.dv.failNext(page(`${h.settings.dataverse.serviceRoot}/accounts?$skiptoken=${i}`));
    await expect(
      c.dataverse.getMany(
        'account',
        rows.map((r) => String(r.accountid)),
      ),
    ).rejects.toThrow(/Dataverse kept sending more pages of 2 account rows by id \(more than 3\)/);
  });

  it('a link to another host is refused and the token is not sent there', async () => {
    const rows = customers(2);
    h.bc.failNext(page('https://elsewhere.example/customers?$skiptoken=1'));
    await expect(
      c.businessCentral.getManyByIds(
        'Customer',
        rows.map((r) => String(r.id)),
      ),
    ).rejects.toThrow(/sent a link to https:\/\/elsewhere\.example; refusing to send the token there/);
  });
});
