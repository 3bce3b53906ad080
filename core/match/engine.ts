import type { DvRow } from '../model/record.js';
import type { MatchGroup } from './groups.js';
import { normalise } from './groups.js';
import { runMatch, type CandidateFinder, type MatchInput, type MatchResult } from './run-match.js';

export type { MatchInput, MatchResult } from './run-match.js';

const NONE: readonly number[] = Object.freeze([]);

/**
 * A key's rows: most keys name one row, kept as its index alone; only keys shared by several rows
 * get an array. At 100,000 rows that is 100,000 arrays fewer per index.
 */
type Rows = number | number[];

/**
 * One key per combination of normalised values; a single value is its own key (the common case). The
 * values are counted in a loop rather than filtered: this runs for every row and every record.
 */
function keyOf(values: ReadonlyArray<string | null>): string {
  let present = 0;
  let last = '';
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as string | null;
    if (v === null) continue;
    present++;
    last = v;
  }
  if (present === 1) return last;
  return JSON.stringify(present === values.length ? values : values.filter((v) => v !== null));
}

/**
 * Index the Dataverse rows on the group's fields that the BC record has values for (`mask`). A row
 * with an empty value in one of those fields can never equal the record's non-empty value, so it is
 * left out of the index.
 */
function buildIndex(group: MatchGroup, mask: readonly boolean[], dv: readonly DvRow[]): Map<string, Rows> {
  const fields = group.fields.filter((_, k) => mask[k]);
  const index = new Map<string, Rows>();
  const values: Array<string | null> = new Array<string | null>(fields.length);
  for (let i = 0; i < dv.length; i++) {
    const row = (dv[i] as DvRow).fields;
    let complete = true;
    for (let k = 0; k < fields.length && complete; k++) {
      const f = fields[k] as MatchGroup['fields'][number];
      values[k] = normalise(row[f.dvField], f.caseSensitive);
      complete = values[k] !== null;
    }
    if (!complete) continue;
    const key = keyOf(values);
    const rows = index.get(key);
    if (rows === undefined) index.set(key, i);
    else if (typeof rows === 'number') index.set(key, [rows, i]);
    else rows.push(i);
  }
  return index;
}

/**
 * Names which of a record's values are present: a bit mask, without building anything, for groups of up
 * to 30 fields (asked once per record and group); a string beyond that.
 */
function maskKeyOf(values: ReadonlyArray<string | null>): number | string {
  if (values.length > 30) return values.map((v) => v !== null).join();
  let m = 0;
  for (let k = 0; k < values.length; k++) if (values[k] !== null) m |= 1 << k;
  return m;
}

/**
 * Hash join: per group and per set of non-empty BC fields, the Dataverse side is indexed once by its
 * normalised composite key, built lazily the first time a BC record needs that combination. Each BC
 * record then costs one map lookup per group instead of a scan of every Dataverse row.
 */
function hashFinder(groups: readonly MatchGroup[], dv: readonly DvRow[]): CandidateFinder {
  const caches = groups.map(() => new Map<number | string, Map<string, Rows>>());
  return (gi, values) => {
    const cache = caches[gi] as Map<number | string, Map<string, Rows>>;
    let index = cache.get(maskKeyOf(values));
    if (!index) {
      const mask = values.map((v) => v !== null);
      index = buildIndex(groups[gi] as MatchGroup, mask, dv);
      cache.set(maskKeyOf(values), index);
    }
    const rows = index.get(keyOf(values));
    return rows === undefined ? NONE : typeof rows === 'number' ? [rows] : rows;
  };
}

/** Match-Based Coupling over records already loaded (pure; no I/O). See runMatch for the rules. */
export function matchRecords(input: MatchInput): MatchResult {
  return runMatch(input, hashFinder);
}
