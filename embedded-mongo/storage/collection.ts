import { ObjectId, type Document } from 'bson';
import { CommandError } from '../errors.js';
import { duplicateKeyError } from './dup-key.js';
import { SecondaryIndex, type IndexSpec } from './indexes.js';
import { encodeValue } from './keys.js';
import { planCandidates } from './planner.js';

export const ID_INDEX: IndexSpec = { name: '_id_', key: { _id: 1 } };

/**
 * One collection: documents in insertion order keyed by the canonical encoding of their _id (which is
 * the _id index), plus secondary indexes. All methods are synchronous and all-or-nothing per document.
 */
export class Collection {
  readonly docs = new Map<string, Document>();
  readonly indexes = new Map<string, SecondaryIndex>();
  readonly uuid = crypto.randomUUID();

  constructor(
    readonly db: string,
    readonly name: string,
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Adds _id when missing (first field, as mongod does); the caller journals the returned document. */
  static withId(doc: Document): Document {
    if (doc._id !== undefined) return doc;
    return { _id: new ObjectId(), ...doc };
  }

  insert(doc: Document, key = encodeValue(doc._id)): void {
    if (this.docs.has(key)) throw duplicateKeyError(this.ns, '_id_', { _id: 1 }, { _id: doc._id });
    this.checkUnique(doc);
    this.docs.set(key, doc);
    for (const index of this.indexes.values()) index.add(key, doc);
  }

  /** Replaces the document with the same _id; throws on a unique-index conflict, leaving the old one. */
  replace(doc: Document, key = encodeValue(doc._id)): void {
    const old = this.docs.get(key);
    if (!old) throw new CommandError('BadValue', `no document with _id ${key} to replace`);
    // Most updates leave most index keys alone (a sync-state write touches none): only the indexes
    // whose keys moved are checked and rewritten.
    const moved = [...this.indexes.values()].filter((index) => !index.sameKeys(old, doc));
    for (const index of moved) {
      const clash = index.findConflict(doc, key);
      if (clash) throw duplicateKeyError(this.ns, index.spec.name, index.spec.key, clash);
    }
    for (const index of moved) index.remove(key, old);
    this.docs.set(key, doc);
    for (const index of moved) index.add(key, doc);
  }

  /** Insert-or-replace, used by recovery so replaying a journal over a newer snapshot is idempotent. */
  put(doc: Document): void {
    const key = encodeValue(doc._id);
    if (this.docs.has(key)) this.replace(doc, key);
    else this.insert(doc, key);
  }

  remove(id: unknown): boolean {
    const key = encodeValue(id);
    const old = this.docs.get(key);
    if (!old) return false;
    for (const index of this.indexes.values()) index.remove(key, old);
    this.docs.delete(key);
    return true;
  }

  get(id: unknown): Document | undefined {
    return this.docs.get(encodeValue(id));
  }

  /** Documents that may match `filter` (a superset): an index lookup when possible, else everything. */
  candidates(filter: Document): Iterable<Document> {
    return planCandidates(this, filter) ?? this.docs.values();
  }

  specs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((i) => i.spec)];
  }

  /** Builds the index over existing documents; fails without side effects if they violate uniqueness. */
  createIndex(spec: IndexSpec): void {
    const index = new SecondaryIndex(spec);
    for (const [key, doc] of this.docs) {
      const clash = index.findConflict(doc, key);
      if (clash) throw duplicateKeyError(this.ns, spec.name, spec.key, clash);
      index.add(key, doc);
    }
    this.indexes.set(spec.name, index);
  }

  dropIndex(name: string): boolean {
    return this.indexes.delete(name);
  }

  private checkUnique(doc: Document, selfKey?: string): void {
    for (const index of this.indexes.values()) {
      const clash = index.findConflict(doc, selfKey);
      if (clash) throw duplicateKeyError(this.ns, index.spec.name, index.spec.key, clash);
    }
  }
}
