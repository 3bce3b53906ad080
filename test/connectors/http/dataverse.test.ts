import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpDataverse } from '../../../connectors/http/dataverse.js';
import type { TableFilter } from '../../../core/model/filter.js';
import { ConcurrencyError, ConnectorError } from '../../../core/ports/errors.js';
import { MAX_URL_LENGTH } from '../../../connectors/http/url-length.js';
import { startHarness, type Harness } from '../../kit/loopback/harness.js';

let h: Harness;
let dv: HttpDataverse;
let eur: string;
let company: string;

const account = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  accountnumber: name.slice(0, 5).toUpperCase(),
  telephone1: '555-0100',
  emailaddress1: `${name.split(' ')[0]?.toLowerCase()}@example.com`,
  statecode: 0,
  customertypecode: 3,
  _transactioncurrencyid_value: eur,
  _bcbi_companyid_value: company,
  description: 'not mapped',
  ...extra,
});

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for await (const page of pages) rows.push(...page);
  return rows;
}

beforeAll(async () => {
  h = await startHarness();
  eur = String(
    h.dv.seed('transactioncurrencies', [{ isocurrencycode: 'EUR', currencyname: 'Euro' }])[0]
      ?.transactioncurrencyid,
  );
  company = String(h.dv.seed('bcbi_companies', [{ bcbi_name: 'CRONUS' }])[0]?.bcbi_companyid);
});
afterAll(() => h.close());
beforeEach(() => {
  for (const set of ['accounts', 'contacts'])
    h.dv
      .table(set)
      .all()
      .forEach((r) => h.dv.table(set).delete(String(r[`${set.slice(0, -1)}id`])));
  h.dv.resetStats();
  dv = h.connect().dataverse;
});

describe('HttpDataverse reads', () => {
  it('returns a row with lookups under their column names, its ETag, and only the mapped columns asked for', async () => {
    const [row] = h.dv.seed('accounts', [account('Adatum Corporation')]);
    const got = await dv.get('account', String(row?.accountid));
    expect(got).toMatchObject({
      id: row?.accountid,
      etag: h.dv.table('accounts').etag(String(row?.accountid)),
      fields: {
        name: 'Adatum Corporation',
        transactioncurrencyid: eur,
        bcbi_companyid: company,
        statecode: 0,
      },
    });
    expect(got?.fields).not.toHaveProperty('description');
    const request = h.dv.requests[0];
    expect(request?.headers).toMatchObject({
      'odata-version': '4.0',
      'odata-maxversion': '4.0',
      accept: 'application/json',
    });
    expect(request?.query.get('$select')?.split(',')).toContain('_transactioncurrencyid_value');
  });

  it('gets many rows by id in as few requests as the URL length limit allows, skipping ids that are not GUIDs', async () => {
    const rows = h.dv.seed(
      'accounts',
      Array.from({ length: 500 }, (_, i) => account(`Many ${i}`)),
    );
    h.dv.resetStats();
    const urls: string[] = [];
    const spying = h.connect({
      fetch: (input, init) => (urls.push(String(input)), h.fetch(input, init)),
    }).dataverse;
    const found = await spying.getMany('account', [
      ...rows.map((r) => String(r.accountid).toUpperCase()),
      'not-an-id',
    ]);
    expect(found.map((r) => r.id).sort()).toEqual(rows.map((r) => String(r.accountid)).sort());
    const perRequest = spying.readCosts.idsPerRequest('account');
    expect(perRequest).toBeGreaterThanOrEqual(150);
    // One query per URL-sized chunk of ids, each answered in pages of 3 and followed to its last page.
    const queries = h.dv.requests.filter((r) => !r.query.has('$skiptoken'));
    expect(queries).toHaveLength(Math.ceil(500 / perRequest));
    expect(h.dv.requests.length).toBeGreaterThanOrEqual(500 / 3);
    expect(h.dv.requests[0]?.query.get('$filter')).toMatch(/^accountid eq [0-9a-f-]{36} or accountid eq /);
    const reads = urls.filter((u) => u.includes('/accounts?') && !u.includes('skiptoken'));
    expect(reads).toHaveLength(queries.length);
    for (const url of reads) expect(url.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
  });

  it('counts a table with one RetrieveTotalRecordCount request', async () => {
    const before = h.dv.table('accounts').size;
    h.dv.seed('accounts', [account('Counted A'), account('Counted B')]);
    h.dv.resetStats();
    expect(await dv.readCosts.count('account')).toBe(before + 2);
    expect(h.dv.requests).toHaveLength(1);
    expect(h.dv.requests[0]?.path).toMatch(/RetrieveTotalRecordCount\(EntityNames=\['account'\]\)$/);
  });

  it('answers null for a row that does not exist', async () => {
    expect(await dv.get('account', '00000000-0000-4000-8000-000000000001')).toBeNull();
  });

  it('lists inside the Integration Table Filter, translated to $filter', async () => {
    h.dv.seed('accounts', [
      account('Inside A'),
      account('Inside without company', { _bcbi_companyid_value: null }),
      account('Vendor', { customertypecode: 11 }),
      account('Inactive', { statecode: 1 }),
      account('Other company', {
        _bcbi_companyid_value: String(
          h.dv.seed('bcbi_companies', [{ bcbi_name: 'Other' }])[0]?.bcbi_companyid,
        ),
      }),
    ]);
    const filter: TableFilter = [
      { field: 'statecode', anyOf: [0] },
      { field: 'customertypecode', anyOf: [3] },
      { field: 'bcbi_companyid', anyOf: [company, null] },
    ];
    const rows = await all(dv.list('account', filter));
    expect(rows.map((r) => r.fields.name).sort()).toEqual(['Inside A', 'Inside without company']);
    expect(h.dv.requests[0]?.query.get('$filter')).toBe(
      `statecode eq 0 and customertypecode eq 3 and (_bcbi_companyid_value eq ${company} or _bcbi_companyid_value eq null)`,
    );
  });

  it('pages with Prefer: odata.maxpagesize and @odata.nextLink, and filters on modifiedon', async () => {
    const rows = h.dv.seed(
      'accounts',
      ['A', 'B', 'C', 'D', 'E'].map((n) => account(`Account ${n}`)),
    );
    const sizes: number[] = [];
    for await (const page of dv.list('account', [], { pageSize: 2 })) sizes.push(page.length);
    expect(sizes).toEqual([2, 2, 1]);
    expect(h.dv.requests.every((r) => r.headers.prefer === 'odata.maxpagesize=2')).toBe(true);
    h.dv.table('accounts').update(String(rows[1]?.accountid), { name: 'Account B2' });
    const since = new Date(String(rows[4]?.modifiedon));
    expect((await all(dv.list('account', [], { modifiedSince: since }))).map((r) => r.fields.name)).toEqual([
      'Account B2',
    ]);
  });

  it('reads only the columns configured for a table', async () => {
    h.dv.seed('accounts', [account('Selected')]);
    const narrow = h.connect({ dataverse: { select: { account: ['name', 'telephone1'] } } }).dataverse;
    const [row] = await all(narrow.list('account', []));
    expect(Object.keys(row?.fields ?? {}).sort()).toEqual(['name', 'telephone1']);
    expect(h.dv.requests[0]?.query.get('$select')).toBe('accountid,modifiedon,name,telephone1');
  });

  it('finds rows by an exact value, quotes escaped', async () => {
    h.dv.seed('accounts', [account("O'Neil Bikes"), account('Neil Bikes')]);
    expect((await dv.findByField('account', 'name', "O'Neil Bikes", 5)).map((r) => r.fields.name)).toEqual([
      "O'Neil Bikes",
    ]);
  });

  it('finds candidates by name part, account number, e-mail or phone, within $top', async () => {
    h.dv.seed('accounts', [
      account('ADATUM Corporation', { telephone1: '1' }),
      account('Fabrikam', { accountnumber: 'C10000', telephone1: '2' }),
      account('Contoso', { emailaddress1: 'info@trey.com', telephone1: '3' }),
      account('Litware', { telephone1: '+45 70 10 20 30' }),
      account('Unrelated', { telephone1: '4' }),
    ]);
    const probes = [
      { field: 'name', value: 'Adatum Corp.' },
      { field: 'accountnumber', value: 'C10000' },
      { field: 'emailaddress1', value: 'info@trey.com' },
      { field: 'telephone1', value: '+45 70 10 20 30' },
    ];
    const found = await dv.findCandidates('account', probes, 10);
    expect(found.map((r) => r.fields.name).sort()).toEqual([
      'ADATUM Corporation',
      'Contoso',
      'Fabrikam',
      'Litware',
    ]);
    expect(h.dv.requests[0]?.query.get('$filter')).toContain("contains(name,'Adatum')");
    expect(await dv.findCandidates('account', probes, 2)).toHaveLength(2);
  });

  it('says which privilege a refused read lacks, and passes on what Dataverse said', async () => {
    h.dv.failNext({
      kind: 'status',
      status: 403,
      body: {
        error: {
          code: '0x80040220',
          message: "Principal user is missing prvReadAccount privilege on entity 'account'",
        },
      },
    });
    const error = await dv.get('account', '00000000-0000-4000-8000-000000000002').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toMatch(
      /^Dataverse refused account 0{8}-0{4}-4000-8000-0{11}2: the application user lacks Read on account in Dataverse: give it a security role with that privilege \(prvReadAccount\)\. Details: Dataverse answered 403: Principal user is missing prvReadAccount/,
    );
  });
});

describe('HttpDataverse writes', () => {
  it('creates with lookups written as @odata.bind', async () => {
    const created = await dv.create('account', {
      name: 'Trey Research',
      transactioncurrencyid: eur,
      bcbi_companyid: company,
    });
    expect(h.dv.table('accounts').get(created.id)).toMatchObject({
      name: 'Trey Research',
      _transactioncurrencyid_value: eur,
    });
    expect(JSON.parse(h.dv.requests[0]?.body ?? '{}')).toMatchObject({
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${eur})`,
    });
    const [parent] = h.dv.seed('accounts', [account('Parent')]);
    const contact = await dv.create('contact', {
      firstname: 'Ana',
      lastname: 'Bay',
      parentcustomerid: String(parent?.accountid),
    });
    expect(contact.fields).toMatchObject({ fullname: 'Ana Bay', parentcustomerid: parent?.accountid });
  });

  it('binds the company id into bcbi_companies; Dataverse refuses a bind into cdm_companies with a 400', async () => {
    await dv.create('account', { name: 'Bound', bcbi_companyid: company });
    expect(JSON.parse(h.dv.requests.at(-1)?.body ?? '{}')).toMatchObject({
      'bcbi_companyid@odata.bind': `/bcbi_companies(${company})`,
    });
    const [cdm] = h.dv.seed('cdm_companies', [{ cdm_name: 'CDM' }]);
    const response = await h.connect().clients.dataverse.send({
      method: 'POST',
      url: `${h.dv.origin}/api/data/v9.2/accounts`,
      headers: { 'OData-Version': '4.0', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Wrong set',
        'bcbi_companyid@odata.bind': `/cdm_companies(${String(cdm?.cdm_companyid)})`,
      }),
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text) as unknown).toMatchObject({
      error: {
        message: expect.stringMatching(/cdm_company' was found, but it is not assignable .*bcbi_company/),
      },
    });
  });

  it('creates with a chosen primary key once: a second create with that key answers the same row', async () => {
    const id = '7a1d0c55-0000-4000-8000-0000000000a1';
    const first = await dv.create('account', { name: 'Chosen' }, { id });
    expect(first.id).toBe(id);
    expect(JSON.parse(h.dv.requests.at(-1)?.body ?? '{}')).toMatchObject({ accountid: id });
    const again = await dv.create('account', { name: 'Chosen' }, { id });
    expect(again.id).toBe(id);
    expect(
      h.dv
        .table('accounts')
        .all()
        .filter((r) => r.name === 'Chosen'),
    ).toHaveLength(1);
    const [many] = await dv.createMany('account', [{ name: 'Chosen' }], [id]);
    expect(many).toMatchObject({ ok: true, value: { id } });
    expect(
      h.dv
        .table('accounts')
        .all()
        .filter((r) => r.name === 'Chosen'),
    ).toHaveLength(1);
  });

  it('reads the base currency from the organisation', async () => {
    h.dv
      .table('organizations')
      .all()
      .forEach((r) => h.dv.table('organizations').delete(String(r.organizationid)));
    h.dv.seed('organizations', [{ name: 'CRONUS', _basecurrencyid_value: eur }]);
    expect(await dv.baseCurrencyId()).toBe(eur);
  });

  it('refuses a lookup value that is not an id, sending nothing', async () => {
    await expect(dv.create('account', { name: 'X', transactioncurrencyid: 'EUR' })).rejects.toThrow(
      /takes the id \(a GUID\) of a transactioncurrencies row, not "EUR"/,
    );
    expect(h.dv.requests).toHaveLength(0);
  });

  it('updates with If-Match and returns the new state', async () => {
    const [row] = h.dv.seed('accounts', [account('Before')]);
    const read = await dv.get('account', String(row?.accountid));
    const updated = await dv.update(
      'account',
      String(row?.accountid),
      { name: 'After', transactioncurrencyid: null },
      read?.etag,
    );
    expect(updated.fields).toMatchObject({ name: 'After', transactioncurrencyid: null });
    expect(h.dv.requests.at(-1)?.headers['if-match']).toBe(read?.etag);
  });

  it('turns a stale ETag (412) into a ConcurrencyError and changes nothing', async () => {
    const [row] = h.dv.seed('accounts', [account('Shared')]);
    const read = await dv.get('account', String(row?.accountid));
    h.dv.table('accounts').update(String(row?.accountid), { name: 'Changed elsewhere' });
    const error = await dv
      .update('account', String(row?.accountid), { name: 'Mine' }, read?.etag)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as Error).message).toMatch(
      /account "Changed elsewhere" was changed in Dataverse since it was read/,
    );
    expect(h.dv.table('accounts').get(String(row?.accountid))?.name).toBe('Changed elsewhere');
  });

  it('never creates a row by updating one that is gone (PATCH is an upsert without If-Match)', async () => {
    const id = '00000000-0000-4000-8000-0000000000ff';
    await expect(dv.update('account', id, { name: 'Ghost' })).rejects.toThrow(
      /no longer exists in Dataverse/,
    );
    expect(h.dv.table('accounts').get(id)).toBeUndefined();
  });

  it('deletes, and treats an already deleted row as done', async () => {
    const [row] = h.dv.seed('accounts', [account('Doomed')]);
    await dv.delete('account', String(row?.accountid));
    await dv.delete('account', String(row?.accountid));
    expect(h.dv.table('accounts').size).toBe(0);
  });
});
