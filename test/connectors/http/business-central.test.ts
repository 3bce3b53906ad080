import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpBusinessCentral } from '../../../connectors/http/business-central.js';
import { ConcurrencyError, ConnectorError } from '../../../core/ports/errors.js';
import { MAX_URL_LENGTH } from '../../../connectors/http/url-length.js';
import { startHarness, type Harness } from '../../kit/loopback/harness.js';

let h: Harness;
let bc: HttpBusinessCentral;

const customer = (number: string, extra: Record<string, unknown> = {}) => ({
  number,
  displayName: `Customer ${number}`,
  phoneNumber: '+45 11 22 33 44',
  email: `c${number}@example.com`,
  addressLine1: 'Main Street 1',
  website: 'www.example.com',
  currencyCode: 'EUR',
  creditLimit: 5000,
  blocked: ' ',
  balanceDue: 120.5,
  ...extra,
});

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.bc.clearRelations();
  for (const set of ['customers', 'items', 'currencies', 'contacts'])
    h.bc
      .table(set)
      .all()
      .forEach((r) => h.bc.table(set).delete(String(r.id)));
  h.bc.resetStats();
  bc = h.connect().businessCentral;
});

describe('HttpBusinessCentral reads', () => {
  it('returns a record keyed by BC field names, with its ETag, ignoring API fields it does not map', async () => {
    const [row] = h.bc.seed('customers', [customer('10000')]);
    const record = await bc.getById('Customer', String(row?.id));
    expect(record).toMatchObject({
      table: 'Customer',
      number: '10000',
      etag: h.bc.table('customers').etag(String(row?.id)),
      fields: {
        'No.': '10000',
        Name: 'Customer 10000',
        'Phone No.': '+45 11 22 33 44',
        'E-Mail': 'c10000@example.com',
        Address: 'Main Street 1',
        'Home Page': 'www.example.com',
        'Currency Code': 'EUR',
        'Credit Limit (LCY)': 5000,
        Blocked: '',
      },
    });
    expect(Object.values(record?.fields ?? {})).not.toContain(120.5);
  });

  it('answers null for an id that does not exist', async () => {
    expect(await bc.getById('Customer', '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it.each([['10000'], ["O'BRIEN"], ['A&B 1']])(
    'looks a record up by number %s with $filter',
    async (number) => {
      h.bc.seed('customers', [customer(number), customer('99999')]);
      expect((await bc.getByNumber('Customer', number))?.number).toBe(number);
      expect(await bc.getByNumber('Customer', 'NOPE')).toBeNull();
    },
  );

  it('looks currencies up by code', async () => {
    h.bc.seed('currencies', [{ code: 'EUR', displayName: 'Euro', symbol: '€' }]);
    expect(await bc.getByNumber('Currency', 'EUR')).toMatchObject({
      number: 'EUR',
      fields: { Code: 'EUR', Description: 'Euro' },
    });
  });

  it('gets many records by id in as few requests as the URL length limit allows', async () => {
    const rows = h.bc.seed(
      'customers',
      Array.from({ length: 600 }, (_, i) => customer(String(20000 + i))),
    );
    h.bc.resetStats();
    const urls: string[] = [];
    const spying = h.connect({
      fetch: (input, init) => (urls.push(String(input)), h.fetch(input, init)),
    }).businessCentral;
    const found = await spying.getManyByIds(
      'Customer',
      rows.map((r) => String(r.id)),
    );
    expect(found.map((r) => r.number).sort()).toEqual(rows.map((r) => String(r.number)).sort());
    const perRequest = spying.readCosts.idsPerRequest('Customer');
    expect(perRequest).toBeGreaterThanOrEqual(200);
    // One query per URL-sized chunk of ids, each answered in pages of 3 and followed to its last page.
    const queries = h.bc.requests.filter((r) => !r.query.has('$skiptoken'));
    expect(queries).toHaveLength(Math.ceil(600 / perRequest));
    expect(h.bc.requests.length).toBeGreaterThanOrEqual(600 / 3);
    const reads = urls.filter((u) => u.includes('/customers?') && !u.includes('skiptoken'));
    expect(reads).toHaveLength(queries.length);
    for (const url of reads) expect(url.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
  });

  it('counts a table with one request to …/$count', async () => {
    h.bc.seed(
      'customers',
      Array.from({ length: 7 }, (_, i) => customer(String(21000 + i))),
    );
    h.bc.resetStats();
    expect(await bc.readCosts.count('Customer')).toBe(7);
    expect(h.bc.requests.map((r) => r.path)).toEqual([expect.stringMatching(/\/customers\/\$count$/)]);
  });

  it('lists only the selected fields (plus id, number and modified time) when asked', async () => {
    h.bc.seed('customers', [customer('22000')]);
    h.bc.resetStats();
    const [page] = await all(bc.list('Customer', { select: ['Name', 'Phone No.', 'Not A Field'] }));
    const [record] = page ?? [];
    expect(record?.number).toBe('22000');
    expect(record?.fields).toEqual({
      'No.': '22000',
      Name: 'Customer 22000',
      'Phone No.': '+45 11 22 33 44',
    });
    expect(record?.etag).toBeTruthy();
    expect(h.bc.requests[0]?.query.get('$select')).toBe(
      'id,number,lastModifiedDateTime,displayName,phoneNumber',
    );
  });

  it('lists page by page through @odata.nextLink', async () => {
    h.bc.seed(
      'customers',
      Array.from({ length: 25 }, (_, i) => customer(String(30000 + i))),
    );
    h.bc.resetStats();
    const sizes: number[] = [];
    for await (const page of bc.list('Customer', { pageSize: 10 })) sizes.push(page.length);
    // The page size asked is a maximum: the server pages smaller (3 here), and every page is read.
    expect(sizes).toEqual([...Array<number>(8).fill(3), 1]);
    expect(h.bc.requests.map((r) => r.headers.prefer)).toEqual(Array(9).fill('odata.maxpagesize=10'));
  });

  it('lists only what changed after a time', async () => {
    const rows = h.bc.seed('customers', [customer('40000'), customer('40010'), customer('40020')]);
    const since = new Date(String(rows[2]?.lastModifiedDateTime));
    h.bc.table('customers').update(String(rows[0]?.id), { displayName: 'Changed' });
    const changed = [];
    for await (const page of bc.list('Customer', { modifiedSince: since })) changed.push(...page);
    expect(changed.map((r) => r.fields.Name)).toEqual(['Changed']);
  });

  it('says so when API v2.0 has no entity set for a table', async () => {
    await expect(bc.getByNumber('Resource', 'R0010')).rejects.toThrow(
      /API v2\.0 has no entity set for Resource/,
    );
  });
});

describe('HttpBusinessCentral reference reads', () => {
  it('reads the local currency from companyInformation; the API shows it where a customer holds none', async () => {
    expect(await bc.localCurrencyCode()).toBe('USD');
    const [row] = h.bc.seed('customers', [customer('10000', { currencyCode: '' })]);
    expect((await bc.getById('Customer', String(row?.id)))?.fields['Currency Code']).toBe('USD');
    // Written back as the LCY code, the table keeps its blank (as BC's API page does).
    await bc.update('Customer', String(row?.id), { 'Currency Code': 'USD' });
    expect(h.bc.table('customers').get(String(row?.id))?.currencyCode).toBe('');
  });

  it('follows a company contact to its customer, and a customer back to its company contact', async () => {
    const [cust] = h.bc.seed('customers', [customer('20000')]);
    const [company, lonely] = h.bc.seed('contacts', [
      { number: 'CT200', displayName: 'Trey Research', type: 'Company' },
      { number: 'CT900', displayName: 'Nobody Ltd', type: 'Company' },
    ]);
    h.bc.relate(String(company?.id), 'Customer', String(cust?.id));
    expect(await bc.businessRelationOf(String(company?.id))).toEqual({
      relatedType: 'Customer',
      relatedId: String(cust?.id),
    });
    expect(await bc.businessRelationOf(String(lonely?.id))).toBeNull();
    expect(await bc.companyContactOf('Customer', String(cust?.id))).toEqual({
      id: String(company?.id),
      number: 'CT200',
    });
    expect(h.bc.requests.map((r) => r.path).filter((p) => p.endsWith('/contactsInformation'))).toHaveLength(
      3,
    );
  });
});

describe('HttpBusinessCentral writes', () => {
  it('creates with API names, writing a blank Blocked as " "', async () => {
    const created = await bc.create('Customer', {
      'No.': '50000',
      Name: 'Trey Research',
      'Phone No.': '555-0100',
      Blocked: '',
    });
    expect(h.bc.table('customers').get(created.id)).toMatchObject({
      number: '50000',
      displayName: 'Trey Research',
      phoneNumber: '555-0100',
      blocked: ' ',
    });
    expect(created.fields.Blocked).toBe('');
  });

  it('refuses a field the API does not offer, sending nothing', async () => {
    await expect(bc.create('Customer', { 'No.': '50010', 'Search Name': 'X' })).rejects.toThrow(
      /offers no field for Customer "Search Name"/,
    );
    expect(h.bc.requests).toHaveLength(0);
  });

  it('updates with If-Match and returns the new state and ETag', async () => {
    const [row] = h.bc.seed('customers', [customer('60000')]);
    const before = await bc.getById('Customer', String(row?.id));
    const after = await bc.update('Customer', String(row?.id), { Name: 'Renamed' }, before?.etag);
    expect(after.fields.Name).toBe('Renamed');
    expect(after.etag).not.toBe(before?.etag);
    expect(h.bc.requests.at(-1)?.headers['if-match']).toBe(before?.etag);
  });

  it.each([[409], [412]] as const)(
    'turns a stale ETag (%i Request_EntityChanged) into a ConcurrencyError and changes nothing',
    async (status) => {
      const own = await startHarness({ bc: { staleEtagStatus: status } });
      try {
        const port = own.connect().businessCentral;
        const [row] = own.bc.seed('customers', [customer('70000')]);
        const read = await port.getById('Customer', String(row?.id));
        own.bc.table('customers').update(String(row?.id), { displayName: 'Changed elsewhere' });
        const error = await port
          .update('Customer', String(row?.id), { Name: 'Mine' }, read?.etag)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect((error as Error).message).toMatch(
          /Customer 70000 was changed in Business Central since it was read; nothing was overwritten/,
        );
        expect(own.bc.table('customers').get(String(row?.id))?.displayName).toBe('Changed elsewhere');
      } finally {
        await own.close();
      }
    },
  );

  it('reports an update of a deleted record as gone', async () => {
    await expect(
      bc.update('Customer', '00000000-0000-4000-8000-0000000000aa', { Name: 'x' }),
    ).rejects.toThrow(/no longer exists/);
  });

  it('deletes, and treats an already deleted record as done', async () => {
    const [row] = h.bc.seed('customers', [customer('80000')]);
    await bc.delete('Customer', String(row?.id));
    expect(h.bc.table('customers').get(String(row?.id))).toBeUndefined();
    await expect(bc.delete('Customer', String(row?.id))).resolves.toBeUndefined();
  });

  it('carries BC own message for other errors', async () => {
    h.bc.seed('customers', [customer('90000')]);
    const error = await bc.create('Customer', { 'No.': '90000', Name: 'Duplicate' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toMatch(
      /Business Central answered 400 for a new Customer: The record already exists/,
    );
  });
});

describe('HttpBusinessCentral company name (for links to the web client)', () => {
  it('reads companies(<id>).name once and keeps it', async () => {
    expect(await bc.companyName()).toBe(h.bc.companyName);
    expect(await bc.companyName()).toBe(h.bc.companyName);
    const reads = h.bc.requests.filter((r) => r.path.endsWith(`/companies(${h.bc.companyId})`));
    expect(reads).toHaveLength(1);
  });
});
