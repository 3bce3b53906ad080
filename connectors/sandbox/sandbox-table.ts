import { randomUUID } from 'node:crypto';
import type { Collection, Filter } from '../../core/ports/store.js';
import { writeErrorIndexes } from '../../core/ports/store.js';
import { DomainError, ErrorCode } from '../../core/ports/errors.js';
import type { Fields } from '../../core/model/record.js';
import type { ListOptions, WriteResult } from '../../core/ports/business-central.js';
import { ConcurrencyError } from '../../core/ports/errors.js';
import { clampLimit, isDuplicateKeyError } from '../../core/ports/store.js';
import { bulkReplace } from './bulk-replace.js';
import type { SandboxDoc } from './documents.js';
import { nextEtag, type ModifiedOnClock } from './modified-clock.js';

export interface StoredRecord {
  id: string;
  fields: Fields;
  modifiedOn: Date;
  etag?: string;
}

export interface SandboxTableOptions<R extends StoredRecord> {
  system: 'Business Central' | 'Dataverse';
  /** "Customer", "account": used in messages. */
  label: string;
  build(id: string, fields: Fields, modifiedOn: Date, etag: string): SandboxDoc;
  read(doc: SandboxDoc): R;
  clock: ModifiedOnClock;
}

const DEFAULT_PAGE = 500;
const MAX_PAGE = 5000;
const MAX_ATTEMPTS = 5;

/** Ids come from callers and cards: only bounded strings ever reach a filter. */
export const safeId = (id: unknown): string | null =>
  typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : null;

/** Reads and writes of one sandbox table, the same for both systems: paging, compare-and-set on the etag. */
export class SandboxTable<R extends StoredRecord> {
  /** The latest modified-on in the table when this process first wrote to it (see stamp()). */
  private floor: Date | null = null;

  constructor(
    readonly col: Collection<SandboxDoc>,
    private readonly o: SandboxTableOptions<R>,
  ) {}

  async get(id: string): Promise<R | null> {
    const safe = safeId(id);
    const doc = safe === null ? null : await this.col.findOne({ _id: safe });
    return doc ? this.o.read(doc) : null;
  }

  async getMany(ids: readonly string[]): Promise<R[]> {
    const safe = [...new Set(ids.map(safeId).filter((i): i is string => i !== null))];
    const out: R[] = [];
    for (let i = 0; i < safe.length; i += 1000) {
      const docs = await this.col.find({ _id: { $in: safe.slice(i, i + 1000) } }).toArray();
      out.push(...docs.map((d) => this.o.read(d)));
    }
    return out;
  }

  async findOne(query: Filter<SandboxDoc>): Promise<R | null> {
    const doc = await this.col.findOne(query);
    return doc ? this.o.read(doc) : null;
  }

  async find(query: Filter<SandboxDoc>, top: number): Promise<R[]> {
    const docs = await this.col
      .find(query)
      .sort({ _id: 1 })
      .limit(clampLimit(top, 50, MAX_PAGE))
      .toArray();
    return docs.map((d) => this.o.read(d));
  }

  /**
   * Pages sorted on _id, optionally only rows modified after a time: one cursor read `pageSize` rows per
   * round trip (a new range query per page made the store filter and sort the whole table each time).
   */
  async *list(options: ListOptions = {}): AsyncIterable<R[]> {
    const size = clampLimit(options.pageSize, DEFAULT_PAGE, MAX_PAGE);
    const since = options.modifiedSince;
    const query: Filter<SandboxDoc> = since instanceof Date ? { modifiedOn: { $gt: since } } : {};
    const cursor = this.col.find(query).sort({ _id: 1 }).batchSize(size);
    try {
      let page: R[] = [];
      for await (const doc of cursor) {
        page.push(this.o.read(doc));
        if (page.length === size) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    } finally {
      await cursor.close();
    }
  }

  /**
   * Inserts rows; row i gets `ids[i]` as its id when given. A row whose id exists already is answered
   * with the stored one (creating with a chosen id is idempotent, as on Dataverse with its primary key).
   */
  async createMany(
    rows: readonly Fields[],
    ids: ReadonlyArray<string | undefined> = [],
  ): Promise<Array<WriteResult<R>>> {
    const floor = await this.latest();
    const docs = rows.map((f, i) => this.o.build(ids[i] ?? randomUUID(), f, this.stamp(floor), '1'));
    let failed = new Set<number>();
    if (docs.length > 0) {
      try {
        await this.col.insertMany(docs, { ordered: false });
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e;
        failed = writeErrorIndexes(e);
      }
    }
    const results: Array<WriteResult<R>> = [];
    for (const [i, d] of docs.entries()) {
      if (!failed.has(i)) {
        results.push({ ok: true, value: this.o.read(d) });
        continue;
      }
      const stored = ids[i] === undefined ? null : await this.col.findOne({ _id: d._id });
      results.push(
        stored
          ? { ok: true, value: this.o.read(stored as SandboxDoc) }
          : {
              ok: false,
              code: 'invalid',
              error: `${this.o.label} ${d.number ?? ''} already exists in ${this.o.system}.`,
            },
      );
    }
    return results;
  }

  async update(id: string, fields: Fields, etag?: string): Promise<R> {
    const checked = etag !== undefined && etag !== '*';
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.existing(id);
      if (checked && doc.etag !== etag) throw this.conflict(doc);
      const next = this.next(doc, fields, await this.latest());
      try {
        const res = await this.col.replaceOne({ _id: doc._id, etag: doc.etag }, next);
        if (res.matchedCount === 1) return this.o.read(next);
      } catch (e) {
        if (isDuplicateKeyError(e)) throw this.duplicate(next);
        throw e;
      }
      if (checked) throw this.conflict(doc);
    }
    throw new ConcurrencyError(this.o.system, `${this.o.label} ${id}`);
  }

  async updateMany(
    updates: ReadonlyArray<{ id: string; fields: Fields; etag?: string }>,
  ): Promise<Array<WriteResult<R>>> {
    const current = new Map((await this.rawMany(updates.map((u) => u.id))).map((d) => [d._id, d]));
    const floor = await this.latest();
    const results: Array<WriteResult<R>> = [];
    const pending: Array<{ index: number; next: SandboxDoc; expectedEtag: string }> = [];
    updates.forEach((u, index) => {
      const doc = current.get(u.id);
      if (!doc)
        return void (results[index] = { ok: false, code: 'not_found', error: this.missing(u.id).message });
      if (u.etag !== undefined && u.etag !== '*' && u.etag !== doc.etag) {
        return void (results[index] = { ok: false, code: 'conflict', error: this.conflict(doc).message });
      }
      const next = this.next(doc, u.fields, floor);
      pending.push({ index, next, expectedEtag: doc.etag });
    });
    const outcomes = await bulkReplace(this.col, pending);
    pending.forEach(({ index, next }, i) => {
      const outcome = outcomes[i];
      if (outcome === 'ok') results[index] = { ok: true, value: this.o.read(next) };
      else if (outcome === 'duplicate')
        results[index] = { ok: false, code: 'invalid', error: this.duplicate(next).message };
      else results[index] = { ok: false, code: 'conflict', error: this.conflict(next).message };
    });
    return results;
  }

  async delete(id: string): Promise<void> {
    const safe = safeId(id);
    const res = safe === null ? { deletedCount: 0 } : await this.col.deleteOne({ _id: safe });
    if (res.deletedCount !== 1) throw this.missing(id);
  }

  private next(doc: SandboxDoc, fields: Fields, floor: Date): SandboxDoc {
    const merged = { ...this.o.read(doc).fields, ...fields };
    const previous = doc.modifiedOn > floor ? doc.modifiedOn : floor;
    return this.o.build(doc._id, merged, this.stamp(previous), nextEtag(doc.etag));
  }

  /**
   * A modified-on later than anything already in the table, so "modified since the last synchronized
   * time" never misses an edit, even after seeding or generating rows moments before.
   */
  private stamp(floor: Date): Date {
    const at = this.o.clock.next(floor);
    this.floor = at;
    return at;
  }

  private async latest(): Promise<Date> {
    if (this.floor === null) {
      const [top] = await this.col
        .find({}, { projection: { modifiedOn: 1 } })
        .sort({ modifiedOn: -1 })
        .limit(1)
        .toArray();
      this.floor = top?.modifiedOn ?? new Date(0);
    }
    return this.floor;
  }

  private async existing(id: string): Promise<SandboxDoc> {
    const safe = safeId(id);
    const doc = safe === null ? null : await this.col.findOne({ _id: safe });
    if (!doc) throw this.missing(id);
    return doc;
  }

  private async rawMany(ids: readonly string[]): Promise<SandboxDoc[]> {
    const safe = [...new Set(ids.map(safeId).filter((i): i is string => i !== null))];
    return safe.length === 0 ? [] : this.col.find({ _id: { $in: safe } }).toArray();
  }

  private missing(id: string): DomainError {
    return new DomainError(
      ErrorCode.NotFound,
      `There is no ${this.o.label} with id ${id} in ${this.o.system}.`,
    );
  }

  private conflict(doc: SandboxDoc): ConcurrencyError {
    return new ConcurrencyError(this.o.system, `${this.o.label} ${doc.number || doc._id}`);
  }

  private duplicate(doc: SandboxDoc): DomainError {
    return new DomainError(
      ErrorCode.InvalidInput,
      `${this.o.label} ${doc.number ?? ''} already exists in ${this.o.system}; choose another number.`,
    );
  }
}
