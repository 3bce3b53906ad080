import type { Collection, Db } from '../../core/ports/store.js';
import { normaliseName } from '../../core/model/normalise.js';
import { DomainError, ErrorCode } from '../../core/ports/errors.js';
import type { BcRecord, Fields } from '../../core/model/record.js';
import type { BcTable } from '../../core/model/tables.js';
import type {
  BusinessCentralPort,
  BusinessRelation,
  ListOptions,
  TableSupport,
  WriteResult,
} from '../../core/ports/business-central.js';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import { clampLimit } from '../../core/ports/store.js';
import { bcDoc, toBcRecord, type SandboxDoc } from './documents.js';
import { ModifiedOnClock } from './modified-clock.js';
import { assignNumbers } from './number-series.js';
import { localCurrencyCode, relationOfAccount, relationOfContact } from './reference-data.js';
import { SandboxTable } from './sandbox-table.js';
import { BC_COLLECTIONS } from './tables.js';

/** Business Central in MongoDB (`bc.<table>`), for demos and tests without a tenant. */
export class SandboxBusinessCentral implements BusinessCentralPort {
  readonly kind = 'sandbox' as const;

  /** The demo tables hold every table the mappings use, Resource included. */
  supports(): TableSupport {
    return { served: true };
  }
  private readonly tables = new Map<BcTable, SandboxTable<BcRecord>>();
  private readonly modified: ModifiedOnClock;

  constructor(
    private readonly db: Db,
    options: { clock?: Clock } = {},
  ) {
    this.modified = new ModifiedOnClock(options.clock ?? systemClock);
  }

  getById(table: BcTable, id: string): Promise<BcRecord | null> {
    return this.table(table).get(id);
  }

  getByNumber(table: BcTable, number: string): Promise<BcRecord | null> {
    if (typeof number !== 'string' || number.length === 0 || number.length > 50) return Promise.resolve(null);
    return this.table(table).findOne({ number });
  }

  getManyByIds(table: BcTable, ids: readonly string[]): Promise<BcRecord[]> {
    return this.table(table).getMany(ids);
  }

  /**
   * Records whose name equals `name` ignoring case, spacing and punctuation. Not on the port: the
   * coupling service uses it when present (coupling started from the Dataverse side).
   */
  findByName(table: BcTable, name: string, top: number): Promise<BcRecord[]> {
    const key = typeof name === 'string' ? normaliseName(name.slice(0, 200)) : '';
    if (key === '') return Promise.resolve([]);
    return this.table(table).find({ _name: key }, clampLimit(top, 10, 100));
  }

  list(table: BcTable, options?: ListOptions): AsyncIterable<BcRecord[]> {
    return this.table(table).list(options);
  }

  async create(table: BcTable, fields: Fields): Promise<BcRecord> {
    const [result] = await this.createMany(table, [fields]);
    if (!result) throw new Error('createMany returned no result');
    if (!result.ok) throw new DomainError(ErrorCode.InvalidInput, result.error);
    return result.value;
  }

  /** Company Information's Currency Code: the local currency (LCY). */
  localCurrencyCode(): Promise<string> {
    return localCurrencyCode(this.db);
  }

  /** The Contact Business Relation of a company contact, as the customer or vendor id it points at. */
  async businessRelationOf(contactId: string): Promise<BusinessRelation | null> {
    const contact = await this.getById('Contact', contactId);
    const relation = contact ? await relationOfContact(this.db, contact.number) : null;
    const related = relation ? await this.getByNumber(relation.linkToTable, relation.no) : null;
    return relation && related ? { relatedType: relation.linkToTable, relatedId: related.id } : null;
  }

  async companyContactOf(
    table: 'Customer' | 'Vendor',
    id: string,
  ): Promise<{ id: string; number: string } | null> {
    const record = await this.getById(table, id);
    const relation = record ? await relationOfAccount(this.db, table, record.number) : null;
    const contact = relation ? await this.getByNumber('Contact', relation.contactNo) : null;
    return contact ? { id: contact.id, number: contact.number } : null;
  }

  async createMany(table: BcTable, rows: readonly Fields[]): Promise<Array<WriteResult<BcRecord>>> {
    const t = this.table(table);
    return t.createMany(await assignNumbers(t.col, table, rows));
  }

  update(table: BcTable, id: string, fields: Fields, etag?: string): Promise<BcRecord> {
    return this.table(table).update(id, fields, etag);
  }

  updateMany(
    table: BcTable,
    updates: ReadonlyArray<{ id: string; fields: Fields; etag?: string }>,
  ): Promise<Array<WriteResult<BcRecord>>> {
    return this.table(table).updateMany(updates);
  }

  delete(table: BcTable, id: string): Promise<void> {
    return this.table(table).delete(id);
  }

  private table(table: BcTable): SandboxTable<BcRecord> {
    const name = BC_COLLECTIONS[table];
    if (!name)
      throw new DomainError(ErrorCode.InvalidInput, `Business Central has no table "${String(table)}" here.`);
    let t = this.tables.get(table);
    if (!t) {
      const col: Collection<SandboxDoc> = this.db.collection<SandboxDoc>(name);
      t = new SandboxTable(col, {
        system: 'Business Central',
        label: table,
        build: (id, fields, modifiedOn, etag) => bcDoc(table, id, fields, modifiedOn, etag),
        read: (doc) => toBcRecord(table, doc),
        clock: this.modified,
      });
      this.tables.set(table, t);
    }
    return t;
  }
}
