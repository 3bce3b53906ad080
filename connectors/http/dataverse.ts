import { z } from 'zod';
import type { TableFilter } from '../../core/model/filter.js';
import type { DvRow, Fields } from '../../core/model/record.js';
import type { DvTable } from '../../core/model/tables.js';
import type { ListOptions, ReadCosts, TableSupport, WriteResult } from '../../core/ports/business-central.js';
import type { CandidateProbe, DataversePort } from '../../core/ports/dataverse.js';
import { ConnectorError } from '../../core/ports/errors.js';
import { candidateFilter } from './dv-candidates.js';
import { conflictError, explainConflicts } from './dv-conflicts.js';
import { dvEntity, fromApi, queryColumn, rowSchema, selectList, toApi } from './dv-entities.js';
import { dvWriteMany, type DvWrite } from './dv-write-many.js';
import { createWrites, updateWrites, withPrimaryKey, type DvUrls } from './dv-writes.js';
import type { HttpClient, HttpResponse } from './http-client.js';
import type { HttpConnectorSettings } from './http-settings.js';
import { checkBody, failure, isGuid, keySegment, readJson, withQuery } from './odata.js';
import { literal, toODataFilter } from './odata-filter.js';
import { MAX_LIST_PAGES, readAll, readPages } from './paging.js';
import { idFilters, idsPerRequest } from './url-length.js';

const SYSTEM = 'Dataverse';
const Organizations = z.object({
  value: z.array(z.object({ _basecurrencyid_value: z.string().nullable().optional() })),
});
const ODATA = { 'OData-Version': '4.0', 'OData-MaxVersion': '4.0' };
type DvUpdate = { id: string; fields: Fields; etag?: string };
const WRITE = { ...ODATA, 'Content-Type': 'application/json', Prefer: 'return=representation' };
/** Dataverse's largest page (domain.md §7). */
const MAX_PAGE = 5000;
const CountAnswer = z.object({
  EntityRecordCountCollection: z.object({ Keys: z.array(z.string()), Values: z.array(z.number()) }),
});

export interface HttpDataverseOptions {
  settings: HttpConnectorSettings['dataverse'];
  /** A client capped at the configured concurrency (default 8, never above 52). */
  http: HttpClient;
  /** Columns to read per table (the mapped ones); defaults cover the default mappings. */
  select?: Partial<Record<DvTable, readonly string[]>>;
  /** Rows per page asked with Prefer: odata.maxpagesize (≤ 5000). */
  pageSize?: number;
  /** Requests per $batch (≤ 1000). */
  batchSize?: number;
}

/** Dataverse through Web API v9.2 (domain.md §7). */
export class HttpDataverse implements DataversePort {
  readonly kind = 'http' as const;

  constructor(private readonly options: HttpDataverseOptions) {}

  /** Every table the mappings use is a standard Dataverse table. */
  supports(): TableSupport {
    return { served: true };
  }

  async get(table: DvTable, id: string): Promise<DvRow | null> {
    const response = await this.send('GET', this.rowUrl(table, id));
    if (response.status === 404) return null;
    return this.row(table, response, [200], `${table} ${id}`);
  }

  /** As many ids per request as the URL length limit allows; the client's cap paces the requests. */
  async getMany(table: DvTable, ids: readonly string[]): Promise<DvRow[]> {
    const valid = [...new Set(ids.filter(isGuid).map((v) => v.toLowerCase()))];
    const filters = idFilters(valid, this.idClause(table), this.byIdBaseLength(table));
    const pages = await Promise.all(
      filters.map((filter) => {
        // The ids asked for bound the pages an answer may take: never more rows than ids.
        const n = filter.split(' or ').length;
        return this.query(table, filter, undefined, `${n} ${table} rows by id`, n);
      }),
    );
    return pages.flat();
  }

  readonly readCosts: ReadCosts<DvTable> = {
    pageSize: MAX_PAGE,
    idsPerRequest: (table) => idsPerRequest(this.idClause(table), this.byIdBaseLength(table)),
    count: (table) => this.count(table),
  };

  /**
   * Rows in the table from RetrieveTotalRecordCount: the snapshot Dataverse keeps per table, one cheap
   * request ($count stops at 5,000). It may lag behind recent writes, which only sways the choice of reads.
   */
  private async count(table: DvTable): Promise<number> {
    const url = `${this.options.settings.serviceRoot}/RetrieveTotalRecordCount(EntityNames=${encodeURIComponent(`['${table}']`)})`;
    const response = await this.send('GET', url);
    const what = `the number of ${table} rows`;
    if (response.status !== 200) throw failure(SYSTEM, response, what);
    const { Keys, Values } = readJson(SYSTEM, response, CountAnswer, what).EntityRecordCountCollection;
    const n = Values[Keys.indexOf(table)];
    if (n === undefined) throw new ConnectorError(SYSTEM, `${SYSTEM} sent no count for ${what}`);
    return n;
  }

  private idClause(table: DvTable): (id: string) => string {
    const column = queryColumn(table, dvEntity(table).idColumn).name;
    return (id) => `${column} eq ${id}`;
  }

  /** The by-id URL without its filter: the entity set, its $select and an empty $filter. */
  private byIdBaseLength(table: DvTable): number {
    return withQuery(this.setUrl(table), { $select: this.select(table), $filter: '' }).length;
  }

  async *list(table: DvTable, filter: TableFilter, options: ListOptions = {}): AsyncIterable<DvRow[]> {
    const clauses = [
      toODataFilter(filter, (field) => queryColumn(table, field)),
      options.modifiedSince ? `modifiedon gt ${options.modifiedSince.toISOString()}` : undefined,
    ].filter((c): c is string => c !== undefined);
    const pageSize = Math.min(options.pageSize ?? this.options.pageSize ?? MAX_PAGE, MAX_PAGE);
    const pages = readPages({
      http: this.options.http,
      url: withQuery(this.setUrl(table), {
        $select: this.select(table),
        $filter: clauses.length > 0 ? clauses.join(' and ') : undefined,
      }),
      headers: { ...ODATA, Prefer: `odata.maxpagesize=${pageSize}` },
      what: `the ${table} list`,
      maxPages: MAX_LIST_PAGES,
    });
    for await (const page of pages) yield page.map((item) => this.parse(table, item, `a ${table} row`));
  }

  findByField(table: DvTable, field: string, value: string, top: number): Promise<DvRow[]> {
    const column = queryColumn(table, field);
    return this.query(
      table,
      `${column.name} eq ${literal(value, column)}`,
      top,
      `${table} rows with ${field} = "${value}"`,
    );
  }

  async findCandidates(table: DvTable, probes: readonly CandidateProbe[], top: number): Promise<DvRow[]> {
    const filter = candidateFilter(table, probes);
    return filter ? this.query(table, filter, top, `${table} candidates`) : [];
  }

  /**
   * POST; with `options.id` the row's primary key goes in the body, and a refusal because that key exists
   * (Dataverse's duplicate key, 0x80040237) means an earlier attempt created it: that row is the answer.
   */
  async create(table: DvTable, fields: Fields, options: { id?: string } = {}): Promise<DvRow> {
    const body = JSON.stringify(withPrimaryKey(table, toApi(table, fields), options.id));
    const response = await this.send(
      'POST',
      withQuery(this.setUrl(table), { $select: this.select(table) }),
      WRITE,
      body,
    );
    if (options.id !== undefined && response.status !== 201 && response.status !== 200) {
      const existing = await this.get(table, options.id);
      if (existing) return existing;
    }
    return this.row(table, response, [201, 200], `the new ${table}`);
  }

  /** The organisation's base currency: `organizations` has one row, with `_basecurrencyid_value`. */
  async baseCurrencyId(): Promise<string | null> {
    const url = withQuery(`${this.options.settings.serviceRoot}/organizations`, {
      $select: '_basecurrencyid_value',
    });
    const what = 'the organisation (its base currency)';
    const items = await readAll({ http: this.options.http, url, headers: ODATA, what, top: 1 });
    const [org] = checkBody(SYSTEM, { value: items }, Organizations, what).value;
    return org?._basecurrencyid_value ?? null;
  }

  async update(table: DvTable, id: string, fields: Fields, etag?: string): Promise<DvRow> {
    const body = JSON.stringify(toApi(table, fields));
    // If-Match: * also stops PATCH from creating a row that is not there (Dataverse PATCH is an upsert).
    const response = await this.send(
      'PATCH',
      this.rowUrl(table, id),
      { ...WRITE, 'If-Match': etag ?? '*' },
      body,
    );
    if (response.status === 412) throw await this.conflict(table, id);
    if (response.status === 404)
      throw new ConnectorError(SYSTEM, `${table} ${id} no longer exists in ${SYSTEM}.`, 404);
    return this.row(table, response, [200], `${table} ${id}`);
  }

  async delete(table: DvTable, id: string): Promise<void> {
    // If-Match: * makes the delete safe to repeat after a timeout or a 5xx (a vanished row is a 404).
    const response = await this.send('DELETE', `${this.setUrl(table)}${keySegment(SYSTEM, id)}`, {
      'If-Match': '*',
    });
    if (response.status !== 204 && response.status !== 200 && response.status !== 404) {
      throw failure(SYSTEM, response, `deleting ${table} ${id}`);
    }
  }

  /** A 412 of the batch is reported as update() reports it: the row by name, or deleted meanwhile. */
  async updateMany(table: DvTable, updates: readonly DvUpdate[]): Promise<Array<WriteResult<DvRow>>> {
    const results = await this.writeMany(table, updateWrites(this.urls, table, updates), false, true);
    return explainConflicts(
      table,
      updates.map((u) => u.id),
      results,
      (ids) => this.getMany(table, ids),
    );
  }

  /** Like updateMany, but each batch is one change set: its updates are applied together or not at all. */
  updateManyAtomic(table: DvTable, updates: readonly DvUpdate[]): Promise<Array<WriteResult<DvRow>>> {
    return this.writeMany(table, updateWrites(this.urls, table, updates), true, true);
  }

  /** With `ids`, a row refused (or lost in transit) is looked up by its id: one that exists is the result. */
  async createMany(
    table: DvTable,
    rows: readonly Fields[],
    ids?: readonly string[],
  ): Promise<Array<WriteResult<DvRow>>> {
    const results = await this.writeMany(table, createWrites(this.urls, table, rows, ids), false, !!ids);
    if (!ids) return results;
    const failed = results.flatMap((r, i) => (r.ok || ids[i] === undefined ? [] : [ids[i] as string]));
    if (failed.length === 0) return results;
    const found = new Map((await this.getMany(table, failed)).map((row) => [row.id.toLowerCase(), row]));
    return results.map((r, i) => {
      const row = r.ok ? undefined : found.get(String(ids[i]).toLowerCase());
      return row ? { ok: true, value: row } : r;
    });
  }

  private writeMany(table: DvTable, writes: DvWrite[], atomic: boolean, idempotent: boolean) {
    const context = {
      http: this.options.http,
      batchUrl: `${this.options.settings.serviceRoot}/$batch`,
      batchSize: this.options.batchSize ?? 1000,
      parse: (text: string, what: string) =>
        this.row(table, { status: 200, headers: new Headers(), text }, [200], what),
    };
    return dvWriteMany(context, writes, atomic, idempotent);
  }

  private readonly urls: DvUrls = {
    rowUrl: (table, id) => this.rowUrl(table, id),
    collectionUrl: (table) => withQuery(this.setUrl(table), { $select: this.select(table) }),
  };

  /**
   * Every page of the answer: Dataverse may page any query, so a row on a later page is still found.
   * Without a `top` the pages are bounded by `maxRows` (the ids asked for, say).
   */
  private async query(
    table: DvTable,
    filter: string,
    top: number | undefined,
    what: string,
    maxRows?: number,
  ): Promise<DvRow[]> {
    const url = withQuery(this.setUrl(table), { $select: this.select(table), $filter: filter, $top: top });
    const bound = top ?? maxRows;
    const items = await readAll({
      http: this.options.http,
      url,
      headers: ODATA,
      what,
      ...(top !== undefined ? { top } : {}),
      ...(bound !== undefined ? { maxPages: bound + 1 } : {}),
    });
    return items.map((item) => this.parse(table, item, `a ${table} row`));
  }

  /** A stale ETag: re-read to tell "changed" from "deleted" and report; never overwrite blindly. */
  private async conflict(table: DvTable, id: string): Promise<Error> {
    return conflictError(table, id, await this.get(table, id));
  }

  private row(table: DvTable, response: HttpResponse, ok: number[], what: string): DvRow {
    if (!ok.includes(response.status)) throw failure(SYSTEM, response, what);
    return fromApi(table, readJson(SYSTEM, response, rowSchema(table), what));
  }

  private parse(table: DvTable, item: unknown, what: string): DvRow {
    return fromApi(table, checkBody(SYSTEM, item, rowSchema(table), what));
  }

  private send(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Record<string, string> = ODATA,
    body?: string,
  ) {
    return this.options.http.send({ method, url, headers: { ...ODATA, ...headers }, body });
  }

  private select(table: DvTable): string {
    return selectList(table, this.options.select?.[table]);
  }

  private setUrl(table: DvTable): string {
    return `${this.options.settings.serviceRoot}/${dvEntity(table).entitySet}`;
  }

  private rowUrl(table: DvTable, id: string): string {
    return withQuery(`${this.setUrl(table)}${keySegment(SYSTEM, id)}`, { $select: this.select(table) });
  }
}
