import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import type { RawRef } from '../raw.js';
import { Collection } from './collection.js';
import type { IndexSpec } from './indexes.js';

/** A logical change, as journaled and as replayed at recovery. Documents are full after-images. */
export type Op =
  | { o: 'cc'; db: string; c: string }
  | { o: 'dc'; db: string; c: string }
  | { o: 'dd'; db: string }
  | { o: 'ci'; db: string; c: string; spec: IndexSpec }
  | { o: 'di'; db: string; c: string; name: string }
  | { o: 'put'; db: string; c: string; d: Document }
  | { o: 'puts'; db: string; c: string; ds: Document[] }
  | { o: 'del'; db: string; c: string; id: unknown };

/** Reverts one change in memory (run newest first when the journal could not make changes durable). */
export type Undo = () => void;

/** Where changes go to become durable; the in-memory engine uses a sink that forgets them. */
export interface OpSink {
  /**
   * `raw`: the BSON bytes of a put's document as received, when the document is exactly those bytes.
   * `undo`: reverts the change in memory; a sink that may fail to persist it runs it then.
   */
  append(op: Op, raw?: RawRef, undo?: Undo): void;
  /** Resolves once everything appended so far is on disk. */
  sync(): Promise<void>;
}

const memorySink: OpSink = { append: () => undefined, sync: () => Promise.resolve() };

const SNAPSHOT_CHUNK = 500;
const NAME_RE = /^[^\0$/\\. "*<>:|?]+$/;

/** All databases and collections. Mutations are synchronous and logged to the sink as they happen. */
export class Engine {
  readonly dbs = new Map<string, Map<string, Collection>>();

  constructor(public sink: OpSink = memorySink) {}

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** The collection, created (and journaled) on first use the way mongod creates it implicitly. */
  ensure(db: string, name: string): Collection {
    const existing = this.collection(db, name);
    if (existing) return existing;
    validateNames(db, name);
    return this.apply({ o: 'cc', db, c: name }, true) as Collection;
  }

  insert(coll: Collection, doc: Document, raw?: RawRef): void {
    coll.insert(doc);
    this.sink.append({ o: 'put', db: coll.db, c: coll.name, d: doc }, raw, () => coll.remove(doc._id));
  }

  replace(coll: Collection, doc: Document): void {
    const old = coll.get(doc._id);
    coll.replace(doc);
    this.sink.append({ o: 'put', db: coll.db, c: coll.name, d: doc }, undefined, () => old && coll.put(old));
  }

  remove(coll: Collection, id: unknown): boolean {
    const old = coll.get(id);
    const removed = coll.remove(id);
    if (removed)
      this.sink.append({ o: 'del', db: coll.db, c: coll.name, id }, undefined, () => old && coll.put(old));
    return removed;
  }

  createIndex(coll: Collection, spec: IndexSpec): void {
    this.apply({ o: 'ci', db: coll.db, c: coll.name, spec }, true);
  }

  dropIndex(coll: Collection, name: string): void {
    this.apply({ o: 'di', db: coll.db, c: coll.name, name }, true);
  }

  dropCollection(db: string, name: string): boolean {
    if (!this.collection(db, name)) return false;
    this.apply({ o: 'dc', db, c: name }, true);
    return true;
  }

  dropDatabase(db: string): boolean {
    if (!this.dbs.has(db)) return false;
    this.apply({ o: 'dd', db }, true);
    return true;
  }

  /** Applies an op (replay when log=false). Replay is idempotent: puts upsert, drops ignore absence. */
  apply(op: Op, log = false): Collection | undefined {
    const undo = log ? this.undoOf(op) : undefined;
    let result: Collection | undefined;
    switch (op.o) {
      case 'cc': {
        let db = this.dbs.get(op.db);
        if (!db) this.dbs.set(op.db, (db = new Map()));
        result = db.get(op.c) ?? new Collection(op.db, op.c);
        db.set(op.c, result);
        break;
      }
      case 'dc':
        this.dbs.get(op.db)?.delete(op.c);
        if (this.dbs.get(op.db)?.size === 0) this.dbs.delete(op.db);
        break;
      case 'dd':
        this.dbs.delete(op.db);
        break;
      case 'ci': {
        const coll = this.apply({ o: 'cc', db: op.db, c: op.c }) as Collection;
        if (!coll.indexes.has(op.spec.name)) coll.createIndex(op.spec);
        break;
      }
      case 'di':
        this.collection(op.db, op.c)?.dropIndex(op.name);
        break;
      case 'put':
        (this.collection(op.db, op.c) ?? (this.apply({ o: 'cc', db: op.db, c: op.c }) as Collection)).put(
          op.d,
        );
        break;
      case 'puts': {
        const coll =
          this.collection(op.db, op.c) ?? (this.apply({ o: 'cc', db: op.db, c: op.c }) as Collection);
        for (const d of op.ds) coll.put(d);
        break;
      }
      case 'del':
        this.collection(op.db, op.c)?.remove(op.id);
        break;
    }
    if (log) this.sink.append(op, undefined, undo);
    return result;
  }

  /** How to revert a schema op, captured before it runs (collections and indexes restored as they were). */
  private undoOf(op: Op): Undo | undefined {
    const dbs = this.dbs;
    const db = dbs.get(op.db);
    const restoreDb = () => {
      if (db) dbs.set(op.db, db);
      else dbs.delete(op.db);
    };
    switch (op.o) {
      case 'cc':
      case 'ci': {
        const coll = db?.get(op.c);
        if (!coll) {
          // The op creates the collection (and the database when it is new).
          return () => {
            db?.delete(op.c);
            restoreDb();
          };
        }
        return op.o === 'ci' && !coll.indexes.has(op.spec.name)
          ? () => coll.dropIndex(op.spec.name)
          : undefined;
      }
      case 'di': {
        const coll = db?.get(op.c);
        const index = coll?.indexes.get(op.name);
        return coll && index ? () => coll.indexes.set(op.name, index) : undefined;
      }
      case 'dc': {
        const coll = db?.get(op.c);
        return coll
          ? () => {
              restoreDb();
              db?.set(op.c, coll);
            }
          : undefined;
      }
      case 'dd':
        return db ? restoreDb : undefined;
      default:
        return undefined;
    }
  }

  /** Every op needed to rebuild the current state (the snapshot content), collection by collection. */
  *stateOps(): Generator<Op> {
    for (const [db, colls] of this.dbs) {
      for (const [c, coll] of colls) {
        yield { o: 'cc', db, c };
        for (const index of coll.indexes.values()) yield { o: 'ci', db, c, spec: index.spec };
        // Documents go in chunks: far fewer records to frame, checksum and parse at recovery.
        let ds: Document[] = [];
        for (const d of coll.docs.values()) {
          ds.push(d);
          if (ds.length === SNAPSHOT_CHUNK) {
            yield { o: 'puts', db, c, ds };
            ds = [];
          }
        }
        if (ds.length > 0) yield { o: 'puts', db, c, ds };
      }
    }
  }
}

function validateNames(db: string, coll: string): void {
  if (!NAME_RE.test(db) || db.length > 64)
    throw new CommandError('InvalidNamespace', `Invalid database name: '${db}'`);
  if (!coll || coll.includes('\0') || coll.startsWith('$') || coll.startsWith('system.')) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: '${coll}'`);
  }
}
