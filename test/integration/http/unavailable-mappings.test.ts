import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADA, BEN } from '../../bot/teams-activity.js';
import { startHttpBot, type HttpBot } from './http-bot.js';

/**
 * Business Central API v2.0 has no entity set for Resource, so RESOURCE-PRODUCT cannot run over the real
 * connectors: `mappings` says so with the reason, and every command on it answers the reason without
 * reading or writing anything in either system.
 */
let h: HttpBot;
let serviceProduct = '';
beforeAll(async () => {
  h = await startHttpBot();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.reset();
  const [product] = h.fakes.dv.seed('products', [
    { name: 'Consulting', productnumber: 'LINDA', producttypecode: 3, statecode: 0 },
  ]);
  serviceProduct = String(product?.productid);
  h.fakes.bc.resetStats();
  h.fakes.dv.resetStats();
});

const REASON =
  /Table mapping RESOURCE-PRODUCT is not available over this connection: Business Central API v2\.0 has no entity set for Resource \(it is only in the read-only analytics API\), so Resource records cannot be read or written through the real connector\./;

describe('mappings over a connection that cannot serve one', () => {
  it('mappings marks RESOURCE-PRODUCT not available, with the reason; the others are available', async () => {
    const { text } = await h.ask('mappings', BEN);
    const resource = text.slice(text.indexOf('RESOURCE-PRODUCT'));
    expect(resource).toMatch(
      /^RESOURCE-PRODUCT\nResource ↔ product[\s\S]*?Availability: Table mapping RESOURCE-PRODUCT is not available over this connection: Business Central API v2\.0 has no entity set for Resource/,
    );
    expect(resource).toMatch(/Scheduled synchronization skips it; commands on it say so\./);
    expect(text).toMatch(/^CUSTOMER\nCustomer ↔ account[\s\S]*?Availability: Available/m);
    expect(text.match(/Availability: Available/g)).toHaveLength(6);
  });

  it('mapping resource-product shows the one mapping with the reason and its settings', async () => {
    const { text } = await h.ask('mapping resource-product', BEN);
    expect(text).toMatch(/^Field mappings of RESOURCE-PRODUCT\nResource ↔ product/);
    expect(text).toMatch(REASON);
    expect(text).toMatch(/Resolve Deletion Conflicts: None/);
  });

  it.each([
    ['show', BEN, 'show resource LINDA'],
    ['Set Up Coupling', BEN, 'couple resource LINDA'],
    ['couple to a row', BEN, 'couple resource LINDA to product "Consulting"'],
    ['couple from the Dataverse side', BEN, () => `couple product ${serviceProduct}`],
    ['Synchronize Now', BEN, 'sync resource LINDA'],
    ['Synchronize Now of a range', BEN, 'sync resources LINDA..MARTY'],
    ['Synchronize Modified Records', ADA, 'sync resources modified'],
    ['full synchronization', ADA, 'sync resources all'],
    ['Match-Based Coupling', ADA, 'match resources'],
    ['Match-Based Coupling by name', ADA, 'match RESOURCE-PRODUCT'],
    ['Delete Coupling', BEN, 'uncouple resource LINDA'],
    ['Delete Couplings', ADA, 'uncouple all resources'],
  ])('%s answers the reason and touches neither system', async (_name, user, says) => {
    const before = await h.snapshot();
    const { text } = await h.ask(typeof says === 'string' ? says : says(), user);
    expect(text).toMatch(REASON);
    expect(text).toMatch(/Nothing was done\./);
    expect(h.fakes.bc.requests.filter((r) => r.path.includes('/resources'))).toEqual([]);
    expect(h.fakes.bc.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(h.fakes.dv.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await h.snapshot()).toEqual(before);
  });

  it('import products as services inserts nothing and says why; plain products still import', async () => {
    const csv = 'name,productnumber\nConsulting Day,CONS-1\n';
    const file = [{ contentType: 'text/csv', name: 'p.csv', content: csv }];
    const other = 'name,productnumber,type\nChair,CH-1,1\nConsulting Day,CONS-1,3\n';
    const services = await h.sayWith('import products as services', file, ADA);
    expect(services).toMatch(REASON);
    expect(h.fakes.dv.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    const mixed = await h.sayWith(
      'import products',
      [{ contentType: 'text/csv', name: 'p.csv', content: other }],
      ADA,
    );
    expect(mixed).toMatch(/1 rows? inserted, 1 rejected/);
    expect(mixed).toMatch(
      /line 3[\s\S]*Table mapping RESOURCE-PRODUCT is not available over this connection/i,
    );
    const names = h.fakes.dv
      .table('products')
      .all()
      .map((r) => r.name);
    expect(names).toContain('Chair');
    expect(names).not.toContain('Consulting Day');
  });

  it("a manager may still change the mapping's settings, kept for a connection that can serve it", async () => {
    const { text } = await h.ask('mapping resource-product deletion-conflicts remove-coupling', ADA);
    expect(text).toMatch(/Resolve Deletion Conflicts set to Remove Coupling/);
    expect(text).toMatch(REASON);
  });
});
