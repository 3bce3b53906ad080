import type { BcRecord, Fields } from '../model/record.js';
import type { BcTable } from '../model/tables.js';

/** Outcome of one write inside a batch: the new state, or why that one record failed. */
export type WriteResult<T> =
  { ok: true; value: T } | { ok: false; error: string; code?: 'conflict' | 'not_found' | 'invalid' };

/**
 * Whether a connector can read and write a table at all (Business Central API v2.0 has no entity set for
 * Resource, say). A mapping over a table its connector cannot serve is shown, skipped and refused with
 * `reason`, in words a manager can act on.
 */
export type TableSupport = { served: true } | { served: false; reason: string };

/** A company contact's business relation (BC's Contact Business Relation; API v2.0 contactsInformation). */
export interface BusinessRelation {
  relatedType: 'Customer' | 'Vendor';
  /** The customer's or vendor's id (systemId). */
  relatedId: string;
}

export interface ListOptions {
  /** Only records modified strictly after this time (BC: $filter=lastModifiedDateTime gt …). */
  modifiedSince?: Date;
  /** Page size hint; connectors cap it at the API's limit. */
  pageSize?: number;
  /**
   * Only these fields (BC field names) besides the id, number, modified time and ETag: a whole-table
   * read carries what the mapping uses and nothing else. Connectors that cannot narrow return all.
   */
  select?: readonly string[];
}

/**
 * What reading a table costs in requests, so a full synchronization can choose between paging through
 * the whole table and looking its coupled records up by id (whichever needs fewer requests).
 * Connectors whose reads cost no requests (the sandbox) leave it out and are read by id.
 */
export interface ReadCosts<Table extends string> {
  /** Rows per page of a whole-table read (the API's maximum page size). */
  readonly pageSize: number;
  /** Ids one by-id request can carry (as many as the URL length limit allows). */
  idsPerRequest(table: Table): number;
  /** Rows in the table, exact or a recent estimate; costs one request. */
  count(table: Table): Promise<number>;
}

/**
 * Business Central, as core needs it. Implemented by the sandbox (MongoDB tables) and by the HTTP
 * connector (API v2.0). A write with an `etag` that is no longer current throws ConcurrencyError.
 */
export interface BusinessCentralPort {
  readonly kind: 'sandbox' | 'http';
  readonly readCosts?: ReadCosts<BcTable>;
  /** What this connection can serve; asked before any command or run touches the table. */
  supports(table: BcTable): TableSupport;
  getById(table: BcTable, id: string): Promise<BcRecord | null>;
  getByNumber(table: BcTable, number: string): Promise<BcRecord | null>;
  getManyByIds(table: BcTable, ids: readonly string[]): Promise<BcRecord[]>;
  /**
   * Optional: records whose name equals `name` ignoring case, spacing and punctuation (at most `top`).
   * Used when a coupling is started from the Dataverse side; without it only the number is looked up.
   */
  findByName?(table: BcTable, name: string, top: number): Promise<BcRecord[]>;
  /** Every record of the table (or those modified since), page by page. */
  list(table: BcTable, options?: ListOptions): AsyncIterable<BcRecord[]>;
  create(table: BcTable, fields: Fields): Promise<BcRecord>;
  /** The company's local currency code (companyInformation.currencyCode): what a blank Currency Code means. */
  localCurrencyCode(): Promise<string>;
  /** The customer or vendor the company contact `contactId` stands for, or null when it has none. */
  businessRelationOf(contactId: string): Promise<BusinessRelation | null>;
  /** The company contact of a customer or vendor (its business relation), or null when it has none. */
  companyContactOf(table: 'Customer' | 'Vendor', id: string): Promise<{ id: string; number: string } | null>;
  update(table: BcTable, id: string, fields: Fields, etag?: string): Promise<BcRecord>;
  delete(table: BcTable, id: string): Promise<void>;
  /** Many updates at once ($batch ≤ 100 per request on the real API); one result per input, in order. */
  updateMany(
    table: BcTable,
    updates: ReadonlyArray<{ id: string; fields: Fields; etag?: string }>,
  ): Promise<Array<WriteResult<BcRecord>>>;
  createMany(table: BcTable, rows: readonly Fields[]): Promise<Array<WriteResult<BcRecord>>>;
}
