import type { Document } from 'bson';
import { Query } from '../mingo.js';
import { encodeValue, pathValues, sameValue } from './keys.js';

export interface IndexSpec {
  name: string;
  key: Document;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

/** Combinations above this are not expanded: mongod refuses indexing parallel arrays anyway. */
const MAX_KEY_COMBINATIONS = 1000;
const SEP = '\u0000';

/**
 * A secondary index: one hash map per key prefix (a, a+b, a+b+c…) from the canonical encoding of the key
 * values to the set of document keys holding them, so equality on any prefix is a map lookup.
 */
export class SecondaryIndex {
  readonly fields: string[];
  private readonly paths: string[][];
  private readonly maps: Array<Map<string, Set<string>>>;
  private readonly partial: Query | undefined;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.paths = this.fields.map((f) => f.split('.'));
    this.maps = this.fields.map(() => new Map());
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : undefined;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** Whether the index holds this document at all (partial and sparse indexes skip some). */
  covers(doc: Document): boolean {
    return this.keyTuples(doc).length > 0;
  }

  /** Every full key tuple of a document (several when a field is an array), or [] when not indexed. */
  keyTuples(doc: Document): unknown[][] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.paths.map((p) => pathValues(doc, p));
    if (this.spec.sparse && perField.every((vs) => vs.length === 0)) return [];
    let tuples: unknown[][] = [[]];
    for (const vs of perField) {
      const options = vs.length === 0 ? [null] : vs;
      const next: unknown[][] = [];
      for (const t of tuples) for (const v of options) next.push([...t, v]);
      tuples = next.slice(0, MAX_KEY_COMBINATIONS);
    }
    return tuples;
  }

  /** Whether two versions of a document have the same entries in this index. */
  sameKeys(a: Document, b: Document): boolean {
    return sameValue(this.keyTuples(a), this.keyTuples(b));
  }

  add(docKey: string, doc: Document): void {
    for (const tuple of this.keyTuples(doc)) {
      this.forPrefixes(tuple, (map, key) => {
        let set = map.get(key);
        if (!set) map.set(key, (set = new Set()));
        set.add(docKey);
      });
    }
  }

  remove(docKey: string, doc: Document): void {
    for (const tuple of this.keyTuples(doc)) {
      this.forPrefixes(tuple, (map, key) => {
        const set = map.get(key);
        if (!set) return;
        set.delete(docKey);
        if (set.size === 0) map.delete(key);
      });
    }
  }

  /** Document keys whose first `values.length` key fields equal `values`. */
  lookup(values: unknown[]): Set<string> | undefined {
    const map = this.maps[values.length - 1];
    return map?.get(values.map(encodeValue).join(SEP));
  }

  /**
   * Size figures for dbStats/collStats/explain: full-key entries (one per document and key tuple), an
   * estimate of their bytes (encoded key plus a record reference each), and whether some document has
   * several entries (an array value: mongod's "multikey").
   */
  stats(): { entries: number; bytes: number; multiKey: boolean } {
    const full = this.maps[this.fields.length - 1] as Map<string, Set<string>>;
    let entries = 0;
    let bytes = 0;
    const holders = new Set<string>();
    for (const [key, docKeys] of full) {
      entries += docKeys.size;
      for (const docKey of docKeys) {
        bytes += key.length + docKey.length + 8;
        holders.add(docKey);
      }
    }
    return { entries, bytes, multiKey: entries > holders.size };
  }

  /** The first key tuple of `doc` already held by another document, if this index is unique. */
  findConflict(doc: Document, selfKey?: string): Document | undefined {
    if (!this.unique) return undefined;
    for (const tuple of this.keyTuples(doc)) {
      const holders = this.lookup(tuple);
      if (!holders) continue;
      for (const holder of holders) {
        if (holder !== selfKey) return Object.fromEntries(this.fields.map((f, i) => [f, tuple[i]]));
      }
    }
    return undefined;
  }

  private forPrefixes(tuple: unknown[], fn: (map: Map<string, Set<string>>, key: string) => void): void {
    let key = '';
    for (let i = 0; i < tuple.length; i++) {
      key = i === 0 ? encodeValue(tuple[0]) : key + SEP + encodeValue(tuple[i]);
      fn(this.maps[i] as Map<string, Set<string>>, key);
    }
  }
}
