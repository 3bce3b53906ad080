import { describe, expect, it } from 'vitest';
import { matchRecords } from '../../../core/match/engine.js';
import { nestedLoopMatch } from '../../../core/match/nested-loop.js';
import type { MatchField } from '../../../core/match/criteria-model.js';
import type { BcRecord, DvRow, FieldValue } from '../../../core/model/record.js';
import { bc, COMPANY, customerMapping, dv, OTHER_COMPANY } from './factory.js';

/** mulberry32: a tiny deterministic PRNG, so a failing seed can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS: Array<[string, string]> = [
  ['Name', 'name'],
  ['City', 'address1_city'],
  ['E-Mail', 'emailaddress1'],
  ['Post Code', 'address1_postalcode'],
];
// Tiny alphabets make duplicates, case variants, blanks and numbers common: the interesting cases.
const VALUES: FieldValue[] = ['a', 'A', 'b', ' b ', 'c', '', '   ', null, 1, '1', 'B'];

function scenario(seed: number) {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const fields: MatchField[] = FIELDS.map(([bcField, dvField]) => ({
    bcField,
    dvField,
    match: rnd() < 0.6,
    caseSensitive: rnd() < 0.3,
    priority: Math.floor(rnd() * 3),
  }));
  if (!fields.some((f) => f.match)) (fields[0] as MatchField).match = true;
  const bcRecords: BcRecord[] = Array.from({ length: 30 + Math.floor(rnd() * 40) }, (_, i) =>
    bc(`c${i}`, {
      Blocked: rnd() < 0.1 ? 'All' : '',
      ...Object.fromEntries(FIELDS.map(([b]) => [b, pick(VALUES)])),
    }),
  );
  const dvRows: DvRow[] = Array.from({ length: 30 + Math.floor(rnd() * 40) }, (_, i) =>
    dv(`d${i}`, {
      bcbi_companyid: pick([COMPANY, COMPANY, COMPANY, null, OTHER_COMPANY]),
      ...Object.fromEntries(FIELDS.map(([, d]) => [d, pick(VALUES)])),
    }),
  );
  return {
    mapping: customerMapping(),
    criteria: {
      fields,
      createNew: rnd() < 0.3,
      syncAfterCoupling: 'No' as const,
      resolveUpdateConflicts: 'None' as const,
    },
    bcRecords,
    dvRows,
    coupledBcIds: new Set(bcRecords.filter(() => rnd() < 0.1).map((r) => r.id)),
    coupledDvIds: new Set(dvRows.filter(() => rnd() < 0.15).map((r) => r.id)),
  };
}

describe('hash join against the nested-loop reference', () => {
  it('gives identical outcomes on 300 random data sets', () => {
    let proposals = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const input = scenario(seed);
      const fast = matchRecords(input);
      expect(fast, `seed ${seed}`).toEqual(nestedLoopMatch(input));
      proposals += fast.counts.proposed;
    }
    // The data must exercise proposals, not only misses, for the comparison to mean something.
    expect(proposals).toBeGreaterThan(300);
  });
});
