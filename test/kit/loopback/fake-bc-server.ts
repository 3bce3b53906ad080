import { randomUUID } from 'node:crypto';
import { parseFilter } from './odata-filter-eval.js';
import { startFakeHttps, type FakeBehaviour, type FakeHttps, type FakeReply } from './fake-base.js';
import { FakeTable, pageOf, type Row } from './fake-store.js';
import { BC_PROPERTIES as PROPERTIES } from './fake-bc-schema.js';
import type { FakeAuthority } from './fake-authority.js';

/**
 * A loopback Business Central API v2.0 (domain.md §7): companies({id})/customers|vendors|contacts|items|
 * currencies|salespeoplePurchasers with GET (by id, $filter, $top, paging), POST, PATCH with If-Match
 * (stale → 409 or 412 Request_EntityChanged), DELETE, and JSON $batch (≤ 100 operations). Unknown
 * properties in a body are refused, as BC does. Also companyInformation (currencyCode = the local
 * currency, shown where a customer or vendor holds a blank Currency Code) and contactsInformation under
 * contacts, customers and vendors (business relations). Throttling, faults and measurements: fake-base.
 */

export interface FakeBcOptions {
  authority: FakeAuthority;
  tenantId?: string;
  environment?: string;
  companyId?: string;
  /** companies(<id>).name: the company's key, the one the web client selects companies by. */
  companyName?: string;
  /** Sources disagree on 409 vs 412 for Request_EntityChanged: the fake can do either. */
  staleEtagStatus?: 409 | 412;
  /** companyInformation.currencyCode; API v2.0 shows it where a customer or vendor holds a blank currency. */
  localCurrencyCode?: string;
  serverPageSize?: number;
  behaviour?: Partial<FakeBehaviour>;
}

export type BcPermission = 'Read' | 'Insert' | 'Modify' | 'Delete';

export interface FakeBc extends FakeHttps {
  tenantId: string;
  environment: string;
  companyId: string;
  companyName: string;
  table(entitySet: string): FakeTable;
  seed(entitySet: string, rows: Row[]): Row[];
  /**
   * From now on the app lacks `permission` on the table behind `entitySet` (in $batch items too): 403
   * with BC's text, in its current form or the one before version 20. `allow()` gives everything back.
   */
  deny(entitySet: string, permission: BcPermission, style?: 'current' | 'before-bc20'): void;
  allow(): void;
  /** A Contact Business Relation: company contact `contactId` is customer/vendor `relatedId`. */
  relate(contactId: string, relatedType: 'Customer' | 'Vendor', relatedId: string): void;
  /** Forgets every business relation (the tables are emptied separately). */
  clearRelations(): void;
  localCurrencyCode: string;
}

/** The table behind each entity set, as BC's permission texts name it (id and name). */
const TABLES: Record<string, [number, string]> = {
  customers: [18, 'Customer'],
  vendors: [23, 'Vendor'],
  contacts: [5050, 'Contact'],
  items: [27, 'Item'],
  currencies: [4, 'Currency'],
  salespeoplePurchasers: [13, 'Salesperson/Purchaser'],
};
const PERMISSION_OF: Record<string, BcPermission> = {
  GET: 'Read',
  POST: 'Insert',
  PATCH: 'Modify',
  DELETE: 'Delete',
};

function permissionError(set: string, permission: BcPermission, style: 'current' | 'before-bc20'): FakeReply {
  const [id, name] = TABLES[set] ?? [0, set];
  const message =
    style === 'current'
      ? `Sorry, the current permissions prevented the action. (TableData ${id} ${name} ${permission}: Base Application)  CorrelationId:  0b9f1c57-2d3e-4c1a-9b6e-7f0a1d2c3b4e.`
      : `You do not have the following permissions on TableData ${name}: ${permission}.\n\nTo view details about your permissions, see the Effective Permissions page.`;
  return bcError(403, 'Authorization_RequestDenied', message);
}

interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/** Read-only properties every entity set has besides its writable ones. */
const READABLE = new Set(['id', 'lastModifiedDateTime']);

const bcError = (status: number, code: string, message: string): FakeReply => ({
  status,
  body: { error: { code, message } },
});

export async function startFakeBc(options: FakeBcOptions): Promise<FakeBc> {
  const tenantId = options.tenantId ?? 'contoso.onmicrosoft.com';
  const environment = options.environment ?? 'Production';
  const companyId = (options.companyId ?? randomUUID()).toLowerCase();
  const companyName = options.companyName ?? 'CRONUS USA, Inc.';
  const tables = new Map(
    Object.keys(PROPERTIES).map((set) => [set, new FakeTable('id', 'lastModifiedDateTime')]),
  );
  const root = `/v2.0/${tenantId}/${environment}/api/v2.0`;
  let numbers = 90000;
  let origin = '';
  const denied = new Map<string, 'current' | 'before-bc20'>();

  const table = (set: string): FakeTable => {
    const t = tables.get(set);
    if (!t) throw new Error(`no entity set ${set}`);
    return t;
  };
  const lcy = options.localCurrencyCode ?? 'USD';
  const relations: Array<{ contactId: string; relatedType: 'Customer' | 'Vendor'; relatedId: string }> = [];
  const WITH_CURRENCY = new Set(['customers', 'vendors']);
  // API v2.0 shows the local currency code where the table holds a blank Currency Code, and takes it
  // back as blank on a write.
  // With $select, only those properties (the id and the ETag always).
  const show = (set: string, row: Row, select?: readonly string[]) => {
    const all: Row = {
      '@odata.etag': table(set).etag(String(row.id)),
      ...row,
      ...(WITH_CURRENCY.has(set) && (row.currencyCode ?? '') === '' ? { currencyCode: lcy } : {}),
    };
    if (!select) return all;
    const shown: Row = { '@odata.etag': all['@odata.etag'], id: row.id };
    for (const p of select) shown[p] = all[p] ?? null;
    return shown;
  };
  const stored = (set: string, body: Row): Row =>
    WITH_CURRENCY.has(set) && typeof body.currencyCode === 'string' && body.currencyCode.toUpperCase() === lcy
      ? { ...body, currencyCode: '' }
      : body;

  /** A collection answer, paged like every other query (server page size, Prefer: odata.maxpagesize). */
  function collection(call: Call, rows: Row[]): FakeReply {
    const page = pageOf(
      rows,
      call.query,
      call.headers.prefer,
      options.serverPageSize ?? 20_000,
      `${origin}${root}${call.path}`,
    );
    return { status: 200, body: { value: page.value, '@odata.nextLink': page.nextLink } };
  }

  /** companyInformation and contactsInformation: read-only navigation the look-ups use. */
  function reference(call: Call): FakeReply | undefined {
    const path = call.path;
    if (path === `/companies(${companyId})`) {
      return { status: 200, body: { id: companyId, name: companyName, displayName: companyName } };
    }
    if (path === `/companies(${companyId})/companyInformation`) {
      const info = { id: companyId, displayName: 'CRONUS USA, Inc.', currencyCode: lcy };
      return collection(call, [info]);
    }
    const nav = /^\/companies\(([^)]+)\)\/(contacts|customers|vendors)\(([^)]+)\)\/contactsInformation$/.exec(
      path,
    );
    if (!nav || nav[1] !== companyId) return undefined;
    const [set, id] = [nav[2] as string, (nav[3] as string).toLowerCase()];
    if (!table(set).get(id))
      return bcError(404, 'BadRequest_NotFound', `The ${set.replace(/s$/, '')} does not exist.`);
    const mine = relations.filter((r) => (set === 'contacts' ? r.contactId === id : r.relatedId === id));
    const value = mine.map((r) => {
      const contact = table('contacts').get(r.contactId) ?? {};
      return {
        contactId: r.contactId,
        contactNumber: contact.number,
        contactName: contact.displayName,
        contactType: contact.type ?? 'Company',
        relatedId: r.relatedId,
        relatedType: r.relatedType,
      };
    });
    return collection(call, value);
  }

  function dispatch(call: Call): FakeReply {
    if (call.method === 'GET') {
      const answer = reference(call);
      if (answer) return answer;
    }
    const match = /^\/companies\(([^)]+)\)\/([A-Za-z]+)(?:\(([^)]+)\))?(\/\$count)?$/.exec(call.path);
    if (!match || match[1] !== companyId || !tables.has(match[2] as string)) {
      return bcError(
        404,
        'BadRequest_NotFound',
        `No HTTP resource was found that matches the request URI '${call.path}'.`,
      );
    }
    const set = match[2] as string;
    const id = match[3];
    if (match[4] && id === undefined && call.method === 'GET') return count(set);
    const permission = PERMISSION_OF[call.method];
    const style = permission ? denied.get(`${set}:${permission}`) : undefined;
    if (permission && style) return permissionError(set, permission, style);
    if (id === undefined)
      return call.method === 'GET'
        ? list(set, call)
        : call.method === 'POST'
          ? create(set, call)
          : bcError(405, 'BadRequest_MethodNotAllowed', 'Method not allowed');
    const row = table(set).get(id);
    if (!row)
      return bcError(
        404,
        'BadRequest_NotFound',
        `The ${set.replace(/s$/, '')} does not exist. Identification fields and values: Id='${id}'`,
      );
    if (call.method === 'GET') return { status: 200, body: show(set, row) };
    const ifMatch = call.headers['if-match'];
    if (!ifMatch)
      return bcError(
        400,
        'BadRequest',
        'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
      );
    if (ifMatch !== '*' && ifMatch !== table(set).etag(id)) {
      return bcError(
        options.staleEtagStatus ?? 409,
        'Request_EntityChanged',
        'Another user has already changed the record.',
      );
    }
    if (call.method === 'DELETE') return (table(set).delete(id), { status: 204 });
    if (call.method !== 'PATCH') return bcError(405, 'BadRequest_MethodNotAllowed', 'Method not allowed');
    const invalid = unknownProperty(set, call.body);
    if (invalid) return invalid;
    return { status: 200, body: show(set, table(set).update(id, stored(set, call.body as Row))) };
  }

  function list(set: string, call: Call): FakeReply {
    const filter = call.query.get('$filter');
    let rows: Row[];
    try {
      const test = filter ? parseFilter(filter, (f) => f === 'id' || f.endsWith('Id')) : () => true;
      rows = table(set).filter(filter, test);
    } catch (error) {
      return bcError(400, 'BadRequest', (error as Error).message);
    }
    const select = call.query.get('$select')?.split(',');
    const unknown = select?.find((p) => !READABLE.has(p) && !PROPERTIES[set]?.includes(p));
    if (unknown)
      return bcError(
        400,
        'BadRequest',
        `Could not find a property named '${unknown}' on type 'Microsoft.NAV.${set.replace(/s$/, '')}'.`,
      );
    const page = pageOf(
      rows,
      call.query,
      call.headers.prefer,
      options.serverPageSize ?? 20_000,
      `${origin}${root}${call.path}`,
    );
    return {
      status: 200,
      body: { value: page.value.map((r) => show(set, r, select)), '@odata.nextLink': page.nextLink },
    };
  }

  /** GET …/customers/$count: the number of records as plain text. */
  function count(set: string): FakeReply {
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: String(table(set).size) };
  }

  function create(set: string, call: Call): FakeReply {
    const invalid = unknownProperty(set, call.body);
    if (invalid) return invalid;
    const key = set === 'currencies' || set === 'salespeoplePurchasers' ? 'code' : 'number';
    const values = stored(set, { ...(call.body as Row) });
    values[key] ??= String((numbers += 10));
    if (
      table(set)
        .all()
        .some((r) => r[key] === values[key])
    ) {
      return bcError(
        400,
        'Internal_EntityWithSameKeyExists',
        `The record already exists. Identification fields and values: No.='${String(values[key])}'`,
      );
    }
    return { status: 201, body: show(set, table(set).insert({ ...values, id: undefined })) };
  }

  function unknownProperty(set: string, body: unknown): FakeReply | undefined {
    const bad = Object.keys((body as Row | null) ?? {}).find((p) => !PROPERTIES[set]?.includes(p));
    if (bad === undefined) return undefined;
    return bcError(
      400,
      'BadRequest',
      `Invalid Request Body: the property '${bad}' does not exist on type '${set}'.`,
    );
  }

  function batch(body: unknown): FakeReply {
    const requests = (body as { requests?: Array<Row> }).requests ?? [];
    if (requests.length > 100)
      return bcError(
        400,
        'BadRequest',
        `The batch holds ${requests.length} operations; at most 100 are allowed.`,
      );
    const responses = requests.map((r) => {
      const url = new URL(String(r.url), 'https://relative/');
      const headers = Object.fromEntries(
        Object.entries((r.headers as Record<string, string>) ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
      );
      const reply = dispatch({
        method: String(r.method),
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers,
        body: r.body,
      });
      return { id: r.id, status: reply.status, headers: {}, body: reply.body };
    });
    return { status: 200, body: { responses } };
  }

  const server = await startFakeHttps(
    {
      authority: options.authority,
      audience: () => origin,
      throttledBody: {
        error: {
          code: 'Application_TooManyRequests',
          message: 'Too many requests reached. Actual (6001). Maximum (6000).',
        },
      },
      unauthorizedBody: {
        error: {
          code: 'Authentication_InvalidCredentials',
          message: 'The credentials provided are incorrect',
        },
      },
      behaviour: options.behaviour,
    },
    (seen) => {
      if (!seen.path.startsWith(root))
        return bcError(404, 'BadRequest_NotFound', `No environment at ${seen.path}`);
      const path = seen.path.slice(root.length);
      const body = seen.body === '' ? undefined : (JSON.parse(seen.body) as unknown);
      if (path === '/$batch' && seen.method === 'POST') return batch(body);
      const headers = Object.fromEntries(
        Object.entries(seen.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
      );
      return dispatch({ method: seen.method, path, query: seen.query, headers, body });
    },
  );
  origin = server.origin;
  return {
    ...server,
    tenantId,
    environment,
    companyId,
    companyName,
    table,
    seed: (set, rows) => rows.map((r) => table(set).insert({ ...r })),
    deny: (set, permission, style = 'current') => denied.set(`${set}:${permission}`, style),
    allow: () => denied.clear(),
    relate: (contactId, relatedType, relatedId) =>
      relations.push({ contactId: contactId.toLowerCase(), relatedType, relatedId: relatedId.toLowerCase() }),
    clearRelations: () => relations.splice(0),
    localCurrencyCode: lcy,
  };
}
