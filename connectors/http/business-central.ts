import type { BcRecord, Fields } from '../../core/model/record.js';
import type { BcTable } from '../../core/model/tables.js';
import type {
  BusinessCentralPort,
  BusinessRelation,
  ListOptions,
  ReadCosts,
  TableSupport,
  WriteResult,
} from '../../core/ports/business-central.js';
import { ConcurrencyError, ConnectorError } from '../../core/ports/errors.js';
import { BcEntityJson, bcEntity, bcSelect, fromApi, missingEntitySet, toApi } from './bc-entities.js';
import { BcRelations } from './bc-relations.js';
import { bcWriteMany, type BcWrite } from './bc-write-many.js';
import type { HttpClient, HttpResponse } from './http-client.js';
import type { HttpConnectorSettings } from './http-settings.js';
import { checkBody, failure, isGuid, keySegment, quote, readJson, withQuery } from './odata.js';
import { MAX_LIST_PAGES, readAll, readPages } from './paging.js';
import { idFilters, idsPerRequest } from './url-length.js';

const SYSTEM = 'Business Central';
/** BC's largest server-driven page (domain.md §7). */
const MAX_PAGE = 20_000;
const idClause = (id: string): string => `id eq ${id}`;

export interface HttpBusinessCentralOptions {
  settings: HttpConnectorSettings['businessCentral'];
  /** A client capped at 5 concurrent requests (BC's per-user limit). */
  http: HttpClient;
  /** Records per page asked with Prefer: odata.maxpagesize (≤ 20,000). */
  pageSize?: number;
}

/** Business Central through API v2.0 (docs: domain.md §7). */
export class HttpBusinessCentral implements BusinessCentralPort {
  readonly kind = 'http' as const;
  private readonly companyPath: string;
  private readonly relations: BcRelations;

  constructor(private readonly options: HttpBusinessCentralOptions) {
    this.companyPath = `companies${keySegment(SYSTEM, options.settings.companyId)}`;
    this.relations = new BcRelations(options.http, `${options.settings.serviceRoot}/${this.companyPath}`);
  }

  private company: Promise<string> | undefined;

  /** The company's name, read once (a failed read is tried again next time). */
  companyName(): Promise<string> {
    this.company ??= this.relations.companyName().catch((e: unknown) => {
      this.company = undefined;
      throw e;
    });
    return this.company;
  }

  localCurrencyCode(): Promise<string> {
    return this.relations.localCurrencyCode();
  }

  businessRelationOf(contactId: string): Promise<BusinessRelation | null> {
    return this.relations.businessRelationOf(keySegment(SYSTEM, contactId));
  }

  companyContactOf(table: 'Customer' | 'Vendor', id: string): Promise<{ id: string; number: string } | null> {
    return this.relations.companyContactOf(
      table === 'Customer' ? 'customers' : 'vendors',
      keySegment(SYSTEM, id),
    );
  }

  supports(table: BcTable): TableSupport {
    const reason = missingEntitySet(table);
    return reason === undefined ? { served: true } : { served: false, reason };
  }

  async getById(table: BcTable, id: string): Promise<BcRecord | null> {
    const response = await this.http.send({ method: 'GET', url: this.recordUrl(table, id) });
    if (response.status === 404) return null;
    return this.record(table, response, `${table} ${id}`);
  }

  async getByNumber(table: BcTable, number: string): Promise<BcRecord | null> {
    const key = bcEntity(table).key;
    const [first] = await this.query(table, `${key} eq ${quote(number)}`, 1, `${table} ${number}`);
    return first ?? null;
  }

  /** As many ids per request as the URL length limit allows; the client's cap paces the requests. */
  async getManyByIds(table: BcTable, ids: readonly string[]): Promise<BcRecord[]> {
    const valid = [...new Set(ids.filter(isGuid).map((id) => id.toLowerCase()))];
    const filters = idFilters(valid, idClause, this.byIdBaseLength(table, valid.length));
    const pages = await Promise.all(
      filters.map((filter) => {
        const n = filter.split(' or ').length;
        return this.query(table, filter, n, `${n} ${table} records`);
      }),
    );
    return pages.flat();
  }

  readonly readCosts: ReadCosts<BcTable> = {
    pageSize: MAX_PAGE,
    idsPerRequest: (table) => idsPerRequest(idClause, this.byIdBaseLength(table, MAX_PAGE)),
    count: (table) => this.count(table),
  };

  /** Records in the table: GET …/customers/$count answers the number as plain text. */
  private async count(table: BcTable): Promise<number> {
    const response = await this.http.send({ method: 'GET', url: `${this.setUrl(table)}/$count` });
    if (response.status !== 200) throw failure(SYSTEM, response, `the number of ${table} records`);
    const n = Number(response.text.trim());
    if (!Number.isInteger(n) || n < 0 || response.text.trim() === '') {
      throw new ConnectorError(
        SYSTEM,
        `${SYSTEM} sent "${response.text.slice(0, 40)}" instead of the number of ${table} records`,
        response.status,
      );
    }
    return n;
  }

  /** The by-id URL without its filter: the entity set, an empty $filter and the $top the ids set. */
  private byIdBaseLength(table: BcTable, top: number): number {
    return withQuery(this.setUrl(table), { $filter: '', $top: top }).length;
  }

  async *list(table: BcTable, options: ListOptions = {}): AsyncIterable<BcRecord[]> {
    const since = options.modifiedSince
      ? `lastModifiedDateTime gt ${options.modifiedSince.toISOString()}`
      : undefined;
    const pageSize = Math.min(options.pageSize ?? this.options.pageSize ?? 1000, MAX_PAGE);
    const $select = options.select ? bcSelect(table, options.select) : undefined;
    const pages = readPages({
      http: this.http,
      url: withQuery(this.setUrl(table), { $filter: since, $select }),
      headers: { Prefer: `odata.maxpagesize=${pageSize}` },
      what: `the ${table} list`,
      maxPages: MAX_LIST_PAGES,
    });
    for await (const page of pages) yield page.map((item) => this.parse(table, item));
  }

  async create(table: BcTable, fields: Fields): Promise<BcRecord> {
    const body = JSON.stringify(toApi(table, fields));
    const response = await this.http.send({ method: 'POST', url: this.setUrl(table), headers: json, body });
    if (response.status !== 201 && response.status !== 200) throw failure(SYSTEM, response, `a new ${table}`);
    return this.record(table, response, `the new ${table}`);
  }

  async update(table: BcTable, id: string, fields: Fields, etag?: string): Promise<BcRecord> {
    const body = JSON.stringify(toApi(table, fields));
    const headers = { ...json, 'If-Match': etag ?? '*' };
    const response = await this.http.send({ method: 'PATCH', url: this.recordUrl(table, id), headers, body });
    if (response.status === 409 || response.status === 412) throw await this.conflict(table, id);
    if (response.status === 404)
      throw new ConnectorError(SYSTEM, `${table} ${id} no longer exists in ${SYSTEM}.`, 404);
    if (response.status !== 200) throw failure(SYSTEM, response, `${table} ${id}`);
    return this.record(table, response, `${table} ${id}`);
  }

  async delete(table: BcTable, id: string): Promise<void> {
    const response = await this.http.send({
      method: 'DELETE',
      url: this.recordUrl(table, id),
      headers: { 'If-Match': '*' },
    });
    // Already gone is what the caller wanted.
    if (response.status !== 204 && response.status !== 200 && response.status !== 404) {
      throw failure(SYSTEM, response, `deleting ${table} ${id}`);
    }
  }

  updateMany(
    table: BcTable,
    updates: ReadonlyArray<{ id: string; fields: Fields; etag?: string }>,
  ): Promise<Array<WriteResult<BcRecord>>> {
    const writes: BcWrite[] = updates.map((u) => ({
      method: 'PATCH',
      url: `${this.companyPath}/${bcEntity(table).entitySet}${keySegment(SYSTEM, u.id)}`,
      etag: u.etag ?? '*',
      fields: u.fields,
      what: `${table} ${u.id}`,
    }));
    return bcWriteMany(this.writeContext(table), writes, true);
  }

  createMany(table: BcTable, rows: readonly Fields[]): Promise<Array<WriteResult<BcRecord>>> {
    const url = `${this.companyPath}/${bcEntity(table).entitySet}`;
    const writes: BcWrite[] = rows.map((fields, i) => ({
      method: 'POST',
      url,
      fields,
      what: `new ${table} #${i + 1}`,
    }));
    return bcWriteMany(this.writeContext(table), writes, false);
  }

  private writeContext(table: BcTable) {
    return {
      http: this.http,
      table,
      batchUrl: `${this.options.settings.serviceRoot}/$batch`,
      parse: this.parse.bind(this),
    };
  }

  /** Every page of the answer (BC may page even a $top): a record on a later page is still found. */
  private async query(table: BcTable, filter: string, top: number, what: string): Promise<BcRecord[]> {
    const url = withQuery(this.setUrl(table), { $filter: filter, $top: top });
    const items = await readAll({ http: this.http, url, what, top });
    return items.map((item) => this.parse(table, item));
  }

  /** A stale ETag: re-read to name the record (or find it deleted) and report; never overwrite blindly. */
  private async conflict(table: BcTable, id: string): Promise<Error> {
    const current = await this.getById(table, id);
    if (!current) return new ConnectorError(SYSTEM, `${table} ${id} no longer exists in ${SYSTEM}.`, 404);
    return new ConcurrencyError(SYSTEM, `${table} ${current.number}`);
  }

  private record(table: BcTable, response: HttpResponse, what: string): BcRecord {
    if (response.status !== 200 && response.status !== 201) throw failure(SYSTEM, response, what);
    return fromApi(table, readJson(SYSTEM, response, BcEntityJson, what));
  }

  private parse(table: BcTable, item: unknown): BcRecord {
    const number = (item as Record<string, unknown> | null)?.[bcEntity(table).key];
    const what = `${table} ${typeof number === 'string' ? number : '(without number)'}`;
    return fromApi(table, checkBody(SYSTEM, item, BcEntityJson, what));
  }

  private setUrl(table: BcTable): string {
    return `${this.options.settings.serviceRoot}/${this.companyPath}/${bcEntity(table).entitySet}`;
  }

  private recordUrl(table: BcTable, id: string): string {
    return `${this.setUrl(table)}${keySegment(SYSTEM, id)}`;
  }

  private get http(): HttpClient {
    return this.options.http;
  }
}

const json = { 'Content-Type': 'application/json' };
