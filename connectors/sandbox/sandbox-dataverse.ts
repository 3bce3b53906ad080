import type { Db, Filter } from '../../core/ports/store.js';
import { nameTokens, normaliseName, phoneKey, plainKey } from '../../core/model/normalise.js';
import { DomainError, ErrorCode } from '../../core/ports/errors.js';
import { passesFilter, type TableFilter } from '../../core/model/filter.js';
import type { DvRow, Fields } from '../../core/model/record.js';
import type { DvTable } from '../../core/model/tables.js';
import type { ListOptions, TableSupport, WriteResult } from '../../core/ports/business-central.js';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import type { CandidateProbe, DataversePort } from '../../core/ports/dataverse.js';
import { clampLimit } from '../../core/ports/store.js';
import { dvDoc, toDvRow, withComputedColumns, type SandboxDoc } from './documents.js';
import { lookupProblems, writeValid } from './lookups.js';
import { ModifiedOnClock } from './modified-clock.js';
import { baseCurrencyId } from './reference-data.js';
import { SandboxTable } from './sandbox-table.js';
import { DV_COLLECTIONS, isColumnName, keyKindOf } from './tables.js';

const MAX_VALUE = 500;

/** Dataverse in MongoDB (`dv.<table>`), for demos and tests without an environment. */
export class SandboxDataverse implements DataversePort {
  readonly kind = 'sandbox' as const;

  supports(): TableSupport {
    return { served: true };
  }
  private readonly tables = new Map<DvTable, SandboxTable<DvRow>>();
  private readonly modified: ModifiedOnClock;

  constructor(
    private readonly db: Db,
    options: { clock?: Clock } = {},
  ) {
    this.modified = new ModifiedOnClock(options.clock ?? systemClock);
  }

  get(table: DvTable, id: string): Promise<DvRow | null> {
    return this.table(table).get(id);
  }

  getMany(table: DvTable, ids: readonly string[]): Promise<DvRow[]> {
    return this.table(table).getMany(ids);
  }

  /** The filter is evaluated with passesFilter, the one rule, on each page. */
  async *list(table: DvTable, filter: TableFilter, options?: ListOptions): AsyncIterable<DvRow[]> {
    for await (const page of this.table(table).list(options)) {
      const inside = page.filter((r) => passesFilter(r.fields, filter));
      if (inside.length > 0) yield inside;
    }
  }

  findByField(table: DvTable, field: string, value: string, top: number): Promise<DvRow[]> {
    if (!isColumnName(field)) {
      throw new DomainError(ErrorCode.InvalidInput, `"${String(field)}" is not a Dataverse column name.`);
    }
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE)
      return Promise.resolve([]);
    const query = { [`fields.${field}`]: value } as Filter<SandboxDoc>;
    return this.table(table).find(query, clampLimit(top, 10, 1000));
  }

  /**
   * Rows sharing a key with a probe: exact number, e-mail, phone digits or normalised name first, then
   * rows sharing a significant name word, until `top`. Core ranks them.
   */
  async findCandidates(table: DvTable, probes: readonly CandidateProbe[], top: number): Promise<DvRow[]> {
    const limit = clampLimit(top, 50, 1000);
    const { exact, tokens } = candidateQueries(table, probes);
    const t = this.table(table);
    // Both at once (a Set Up Coupling card waits on them): exact matches first, then the name-token
    // matches they did not already bring, up to the limit — the rows one query after the other would give.
    const [found, byToken] = await Promise.all([
      exact.length > 0 ? t.find({ $or: exact }, limit) : Promise.resolve<DvRow[]>([]),
      tokens.length > 0 ? t.find({ _search: { $in: tokens } }, limit) : Promise.resolve<DvRow[]>([]),
    ]);
    const seen = new Set(found.map((r) => r.id));
    for (const row of byToken) {
      if (found.length >= limit) break;
      if (!seen.has(row.id)) found.push(row);
    }
    return found;
  }

  baseCurrencyId(): Promise<string | null> {
    return baseCurrencyId(this.db);
  }

  create(table: DvTable, fields: Fields, options: { id?: string } = {}): Promise<DvRow> {
    return this.createMany(table, [fields], options.id === undefined ? undefined : [options.id]).then(
      ([r]) => {
        if (!r) throw new Error('createMany returned no result');
        if (!r.ok) throw new DomainError(ErrorCode.InvalidInput, r.error);
        return r.value;
      },
    );
  }

  /** Lookup columns take row ids, as in Dataverse (lookups.ts): a row with anything else fails alone. */
  async createMany(
    table: DvTable,
    rows: readonly Fields[],
    ids?: readonly string[],
  ): Promise<Array<WriteResult<DvRow>>> {
    const t = this.table(table);
    const items = rows.map((fields, i) => ({ fields, id: ids?.[i] }));
    return writeValid(items, await this.lookupProblems(table, rows), (valid) =>
      t.createMany(
        valid.map((v) => v.fields),
        valid.map((v) => v.id),
      ),
    );
  }

  async update(table: DvTable, id: string, fields: Fields, etag?: string): Promise<DvRow> {
    const t = this.table(table);
    const [problem] = await this.lookupProblems(table, [fields]);
    if (problem) throw new DomainError(ErrorCode.InvalidInput, problem);
    return t.update(id, fields, etag);
  }

  async updateMany(
    table: DvTable,
    updates: ReadonlyArray<{ id: string; fields: Fields; etag?: string }>,
  ): Promise<Array<WriteResult<DvRow>>> {
    const t = this.table(table);
    const problems = await this.lookupProblems(
      table,
      updates.map((u) => u.fields),
    );
    return writeValid(updates, problems, (valid) => t.updateMany(valid));
  }

  private lookupProblems(table: DvTable, rows: readonly Fields[]): Promise<Array<string | null>> {
    return lookupProblems((target, ids) => this.getMany(target, ids), table, rows);
  }

  delete(table: DvTable, id: string): Promise<void> {
    return this.table(table).delete(id);
  }

  private table(table: DvTable): SandboxTable<DvRow> {
    const name = DV_COLLECTIONS[table];
    if (!name)
      throw new DomainError(ErrorCode.InvalidInput, `Dataverse has no table "${String(table)}" here.`);
    let t = this.tables.get(table);
    if (!t) {
      t = new SandboxTable(this.db.collection<SandboxDoc>(name), {
        system: 'Dataverse',
        label: table,
        build: (id, fields, modifiedOn, etag) =>
          dvDoc(table, id, withComputedColumns(table, fields), modifiedOn, etag),
        read: (doc) => toDvRow(table, doc),
        clock: this.modified,
      });
      this.tables.set(table, t);
    }
    return t;
  }
}

/** Probe values become string values under fixed keys; nothing the caller sends becomes an operator. */
function candidateQueries(table: DvTable, probes: readonly CandidateProbe[]) {
  const exact: Array<Filter<SandboxDoc>> = [];
  const tokens = new Set<string>();
  for (const p of probes) {
    if (typeof p?.value !== 'string' || typeof p.field !== 'string') continue;
    const value = p.value.slice(0, MAX_VALUE);
    const kind = keyKindOf(table, p.field);
    const add = (key: '_name' | '_number' | '_email' | '_phone', v: string) => v && exact.push({ [key]: v });
    if (kind === 'name') {
      add('_name', normaliseName(value));
      nameTokens(value).forEach((w) => tokens.add(w));
    } else if (kind === 'number') add('_number', plainKey(value));
    else if (kind === 'email') add('_email', plainKey(value));
    else if (kind === 'phone') add('_phone', phoneKey(value));
    else if (isColumnName(p.field) && value)
      exact.push({ [`fields.${p.field}`]: value } as Filter<SandboxDoc>);
  }
  return { exact, tokens: [...tokens] };
}
