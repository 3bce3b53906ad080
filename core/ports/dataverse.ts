import type { DvRow, Fields } from '../model/record.js';
import type { TableFilter } from '../model/filter.js';
import type { DvTable } from '../model/tables.js';
import type { ListOptions, ReadCosts, TableSupport, WriteResult } from './business-central.js';

export interface CandidateProbe {
  /** Column to look in (name, accountnumber, emailaddress1, telephone1). */
  field: string;
  /** The BC value to look for; connectors match case-insensitively on a significant part of it. */
  value: string;
}

/**
 * Dataverse, as core needs it. Implemented by the sandbox (MongoDB tables) and by the HTTP connector
 * (Web API v9.2). A write with an `etag` that is no longer current throws ConcurrencyError.
 */
export interface DataversePort {
  readonly kind: 'sandbox' | 'http';
  readonly readCosts?: ReadCosts<DvTable>;
  /** What this connection can serve; asked before any command or run touches the table. */
  supports(table: DvTable): TableSupport;
  get(table: DvTable, id: string): Promise<DvRow | null>;
  getMany(table: DvTable, ids: readonly string[]): Promise<DvRow[]>;
  /** Rows inside `filter` (the Integration Table Filter), page by page. */
  list(table: DvTable, filter: TableFilter, options?: ListOptions): AsyncIterable<DvRow[]>;
  /** Rows where `field` equals `value` exactly (for "couple … to account \"exact name\""). */
  findByField(table: DvTable, field: string, value: string, top: number): Promise<DvRow[]>;
  /** Possible partners for Set Up Coupling: rows resembling any probe; core ranks them. */
  findCandidates(table: DvTable, probes: readonly CandidateProbe[], top: number): Promise<DvRow[]>;
  /**
   * Creates a row. With `options.id` the row gets that primary key (the Web API accepts it in the body),
   * and a row that already has it is returned instead of a second one: creating is then idempotent.
   */
  create(table: DvTable, fields: Fields, options?: { id?: string }): Promise<DvRow>;
  /** The organisation's base currency (organizations → _basecurrencyid_value), null when unknown. */
  baseCurrencyId(): Promise<string | null>;
  update(table: DvTable, id: string, fields: Fields, etag?: string): Promise<DvRow>;
  delete(table: DvTable, id: string): Promise<void>;
  /** Many writes at once ($batch ≤ 1000 on the real API); one result per input, in order. */
  updateMany(
    table: DvTable,
    updates: ReadonlyArray<{ id: string; fields: Fields; etag?: string }>,
  ): Promise<Array<WriteResult<DvRow>>>;
  /** With `ids`, row i gets primary key ids[i], idempotently as create() with an id. */
  createMany(
    table: DvTable,
    rows: readonly Fields[],
    ids?: readonly string[],
  ): Promise<Array<WriteResult<DvRow>>>;
}
