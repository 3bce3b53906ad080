import { parseFilter } from './odata-filter-eval.js';
import { startFakeHttps, type FakeBehaviour, type FakeHttps, type FakeReply } from './fake-base.js';
import { FAKE_DV_SETS, readableProperties, toColumns, type FakeDvSet } from './fake-dv-schema.js';
import { readBatch, writeBatch, type BatchOperation, type OperationReply } from './fake-multipart.js';
import { FakeTable, pageOf, type Row } from './fake-store.js';
import type { FakeAuthority } from './fake-authority.js';

/**
 * A loopback Dataverse Web API v9.2 (domain.md §7): accounts, contacts, products, systemusers,
 * transactioncurrencies, organizations (+ bcbi_companies and the lookup targets) with $select, $filter,
 * $top, Prefer: odata.maxpagesize paging, lookups read as _x_value and written with @odata.bind (a bind
 * into another entity set than the look-up's is a 400, as on Dataverse), POST honouring a primary key in
 * the body (a key in use: 412, 0x80040237), PATCH upsert semantics with If-Match (stale → 412),
 * Prefer: return=representation, and multipart $batch (≤ 1000 requests, change sets atomic,
 * odata.continue-on-error). Throttling, faults and measurements: fake-base.
 */
export interface FakeDataverseOptions {
  authority: FakeAuthority;
  serverPageSize?: number;
  behaviour?: Partial<FakeBehaviour>;
}

export type DvPrivilege = 'Read' | 'Write' | 'Create' | 'Delete';

export interface FakeDataverse extends FakeHttps {
  table(entitySet: string): FakeTable;
  seed(entitySet: string, rows: Row[]): Row[];
  /**
   * From now on the application user lacks `privilege` on the table behind `entitySet` (in $batch too):
   * 403 with Dataverse's "is missing prv…" text. `allow()` gives everything back.
   */
  deny(entitySet: string, privilege: DvPrivilege): void;
  allow(): void;
}

/** Schema name and object type code of each entity set, as privilege texts name them. */
const ENTITY_OF: Record<string, [string, string, number]> = {
  accounts: ['Account', 'account', 1],
  contacts: ['Contact', 'contact', 2],
  products: ['Product', 'product', 1024],
  systemusers: ['SystemUser', 'systemuser', 8],
  transactioncurrencies: ['TransactionCurrency', 'transactioncurrency', 9105],
};
const APPLICATION_USER = '3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f';

function privilegeError(set: string, privilege: DvPrivilege): OperationReply {
  const [schema, logical, otc] = ENTITY_OF[set] ?? [set, set, 0];
  return dvError(
    403,
    '0x80040220',
    `Principal user (Id=${APPLICATION_USER}, type=8, roleCount=1, privilegeCount=412, accessMode=4), is missing ` +
      `prv${privilege}${schema} privilege (Id=6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b) on OTC=${otc} for entity ` +
      `'${logical}'. context.Caller=${APPLICATION_USER}`,
  );
}

const API = '/api/data/v9.2';
/** accounts → account, transactioncurrencies → transactioncurrency. */
const logicalName = (set: string): string => set.replace(/ies$/, 'y').replace(/s$/, '');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const dvError = (status: number, code: string, message: string): OperationReply => ({
  status,
  body: { error: { code, message } },
});
type Call = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: string;
};

export async function startFakeDataverse(options: FakeDataverseOptions): Promise<FakeDataverse> {
  const tables = new Map(
    Object.entries(FAKE_DV_SETS).map(([name, set]) => [name, new FakeTable(set.idColumn, 'modifiedon')]),
  );
  const table = (name: string): FakeTable =>
    tables.get(name) ??
    (() => {
      throw new Error(`no entity set ${name}`);
    })();
  let origin = '';
  const denied = new Set<string>();
  /** The privilege a request needs: a PATCH that would create (upsert) needs Create. */
  const privilegeFor = (method: string, name: string, id: string | undefined): DvPrivilege | undefined =>
    method === 'GET'
      ? 'Read'
      : method === 'POST'
        ? 'Create'
        : method === 'DELETE'
          ? 'Delete'
          : method === 'PATCH'
            ? id !== undefined && table(name).get(id)
              ? 'Write'
              : 'Create'
            : undefined;

  function show(name: string, row: Row, select: string | null): Row {
    const set = FAKE_DV_SETS[name] as FakeDvSet;
    const names = select ? [set.idColumn, ...select.split(',')] : Object.keys(row);
    const shown: Row = { '@odata.etag': table(name).etag(String(row[set.idColumn])) };
    for (const n of names) shown[n] = row[n] ?? null;
    return shown;
  }

  /** RetrieveTotalRecordCount(EntityNames=['account',…]): the row count of each named table. */
  function totalRecordCount(path: string): OperationReply {
    const names = [
      ...(/^\/RetrieveTotalRecordCount\(EntityNames=\[(.*)\]\)$/.exec(path)?.[1] ?? '').matchAll(
        /'([a-z_]+)'/g,
      ),
    ].map((m) => m[1] as string);
    const sets = names.map((n) => Object.keys(FAKE_DV_SETS).find((set) => logicalName(set) === n));
    const missing = names.find((_, i) => !sets[i]);
    if (names.length === 0 || missing !== undefined)
      return dvError(400, '0x80040217', `The entity with a name = '${missing ?? ''}' was not found.`);
    return {
      status: 200,
      body: {
        EntityRecordCountCollection: {
          Count: names.length,
          IsReadOnly: false,
          Keys: names,
          Values: sets.map((set) => table(set as string).size),
        },
      },
    };
  }

  function dispatch(call: Call): OperationReply {
    if (call.path.startsWith('/RetrieveTotalRecordCount(') && call.method === 'GET')
      return totalRecordCount(call.path);
    const match = /^\/([a-z_]+)(?:\(([^)]+)\))?$/.exec(call.path);
    const name = match?.[1] ?? '';
    const set = FAKE_DV_SETS[name];
    if (!match || !set)
      return dvError(404, '0x80060888', `Resource not found for the segment '${call.path.slice(1)}'.`);
    const select = call.query.get('$select');
    const unknown = select?.split(',').find((p) => !readableProperties(set).has(p));
    if (unknown)
      return dvError(
        400,
        '0x80060888',
        `Could not find a property named '${unknown}' on type 'Microsoft.Dynamics.CRM.${name}'.`,
      );
    const id = match[2];
    const privilege = privilegeFor(call.method, name, id);
    if (privilege && denied.has(`${name}:${privilege}`)) return privilegeError(name, privilege);
    if (id === undefined)
      return call.method === 'GET'
        ? list(name, set, call)
        : call.method === 'POST'
          ? write(name, set, call, undefined)
          : dvError(405, '0x8006088a', 'Method not allowed');
    const row = table(name).get(id);
    const ifMatch = call.headers['if-match'];
    if (!row && (call.method !== 'PATCH' || ifMatch))
      return dvError(404, '0x80040217', `${name.replace(/s$/, '')} With Id = ${id} Does Not Exist`);
    if (row && ifMatch && ifMatch !== '*' && ifMatch !== table(name).etag(id)) {
      return dvError(
        412,
        '0x80060882',
        "The version of the existing record doesn't match the RowVersion property provided.",
      );
    }
    if (call.method === 'GET') return { status: 200, body: show(name, row as Row, select) };
    if (call.method === 'DELETE') return (table(name).delete(id), { status: 204 });
    if (call.method === 'PATCH') return write(name, set, call, id);
    return dvError(405, '0x8006088a', 'Method not allowed');
  }

  function list(name: string, set: FakeDvSet, call: Call): OperationReply {
    let rows: Row[];
    const filter = call.query.get('$filter');
    const guidColumns = new Set([
      set.idColumn,
      ...Object.values(set.lookups).map((l) => `_${l.column}_value`),
    ]);
    try {
      const test = filter ? parseFilter(filter, (f) => guidColumns.has(f)) : () => true;
      rows = table(name).filter(filter, test);
    } catch (error) {
      return dvError(400, '0x80060888', (error as Error).message);
    }
    const page = pageOf(
      rows,
      call.query,
      call.headers.prefer,
      options.serverPageSize ?? 5000,
      `${origin}${API}/${name}`,
    );
    const headers = call.headers.prefer?.includes('maxpagesize')
      ? { 'Preference-Applied': `odata.maxpagesize=${page.pageSize}` }
      : undefined;
    const value = page.value.map((r) => show(name, r, call.query.get('$select')));
    return {
      status: 200,
      headers,
      body: {
        '@odata.context': `${origin}${API}/$metadata#${name}`,
        value,
        '@odata.nextLink': page.nextLink,
      },
    };
  }

  /** POST (id undefined) or PATCH (create when absent and no If-Match: Dataverse PATCH is an upsert). */
  function write(name: string, set: FakeDvSet, call: Call, urlId: string | undefined): OperationReply {
    let values: Row;
    const body = JSON.parse(call.body || '{}') as Row;
    // A POST may carry the new row's primary key (the Web API honours it); a key in use is refused.
    const chosen = call.method === 'POST' ? body[set.idColumn] : undefined;
    delete body[set.idColumn];
    if (chosen !== undefined && (typeof chosen !== 'string' || !GUID.test(chosen)))
      return dvError(400, '0x80048d19', `The value of ${set.idColumn} is not a valid Guid.`);
    if (typeof chosen === 'string' && table(name).get(chosen))
      return dvError(412, '0x80040237', 'A record with matching key values already exists.');
    const id = urlId ?? (typeof chosen === 'string' ? chosen.toLowerCase() : undefined);
    try {
      values = toColumns(set, body, (target, id) => table(target).get(id) !== undefined);
    } catch (error) {
      return dvError(400, '0x80048d19', (error as Error).message);
    }
    if (values.firstname !== undefined || values.lastname !== undefined) {
      const current = id ? table(name).get(id) : undefined;
      values.fullname = [values.firstname ?? current?.firstname, values.lastname ?? current?.lastname]
        .filter(Boolean)
        .join(' ');
    }
    const exists = id !== undefined && table(name).get(id) !== undefined;
    const row = exists
      ? table(name).update(id, values)
      : table(name).insert({ ...values, [set.idColumn]: id });
    const rowId = String(row[set.idColumn]);
    const representation = call.headers.prefer?.includes('return=representation');
    if (!representation)
      return { status: 204, headers: { 'OData-EntityId': `${origin}${API}/${name}(${rowId})` } };
    return { status: exists ? 200 : 201, body: show(name, row, call.query.get('$select')) };
  }

  function batch(seen: { headers: Record<string, string | undefined>; body: string }): FakeReply {
    const items = readBatch(seen.headers['content-type'] ?? '', seen.body);
    const count = items.reduce((n, i) => n + ('changeSet' in i ? i.changeSet.length : 1), 0);
    if (count > 1000)
      return dvError(
        400,
        '0x80060891',
        `The batch holds ${count} requests; the maximum is 1000.`,
      ) as FakeReply;
    const continueOnError = seen.headers.prefer?.includes('odata.continue-on-error') ?? false;
    const replies: Array<OperationReply | OperationReply[]> = [];
    for (const item of items) {
      if ('operation' in item) replies.push(run(item.operation));
      else replies.push(changeSet(item.changeSet));
      const last = replies[replies.length - 1];
      if (!continueOnError && last !== undefined && !Array.isArray(last) && last.status >= 400) break;
    }
    const { contentType, body } = writeBatch(replies);
    return { status: 200, headers: { 'content-type': contentType }, body };
  }

  function changeSet(operations: BatchOperation[]): OperationReply | OperationReply[] {
    const restores = [...tables.values()].map((t) => t.snapshot());
    const replies: OperationReply[] = [];
    for (const op of operations) {
      const reply = run(op);
      if (reply.status >= 400) return (restores.forEach((restore) => restore()), reply);
      replies.push(reply);
    }
    return replies;
  }

  function run(op: BatchOperation): OperationReply {
    const url = new URL(op.url, `${origin}${API}/`);
    const path = decodeURIComponent(url.pathname).replace(API, '');
    return dispatch({ method: op.method, path, query: url.searchParams, headers: op.headers, body: op.body });
  }

  const server = await startFakeHttps(
    {
      authority: options.authority,
      audience: () => origin,
      throttledBody: {
        error: {
          code: '0x80072322',
          message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
        },
      },
      behaviour: options.behaviour,
    },
    (seen) => {
      if (!seen.path.startsWith(API))
        return dvError(404, '0x80060888', `No resource at ${seen.path}`) as FakeReply;
      const headers = Object.fromEntries(
        Object.entries(seen.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
      );
      if (seen.headers['odata-version'] !== '4.0')
        return dvError(400, '0x80060888', 'OData-Version 4.0 is required.') as FakeReply;
      const path = seen.path.slice(API.length);
      if (path === '/$batch' && seen.method === 'POST') return batch({ headers, body: seen.body });
      return dispatch({
        method: seen.method,
        path,
        query: seen.query,
        headers,
        body: seen.body,
      }) as FakeReply;
    },
  );
  origin = server.origin;
  return {
    ...server,
    table,
    seed: (name, rows) => rows.map((r) => table(name).insert({ ...r })),
    deny: (set, privilege) => denied.add(`${set}:${privilege}`),
    allow: () => denied.clear(),
  };
}
