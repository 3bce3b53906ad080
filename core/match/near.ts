import { passesFilter } from '../model/filter.js';
import { asText } from '../model/normalise.js';
import type { DvRow } from '../model/record.js';
import { DV_NAME_FIELDS } from '../model/tables.js';
import { Blocks, isExactKey, nearFields, probeOf, type Probe } from './near-blocks.js';
import { MAX_NEAR_CANDIDATES, type MatchOutcome, type NearCandidate } from './outcome.js';
import type { MatchInput, MatchResult } from './run-match.js';
import { similarity, type NearKeys } from './similarity.js';

/** Pairs scored per BC record at most: those sharing the most block keys. */
export const MAX_SCORED_PER_RECORD = 16;
/** A pair found by name trigrams alone must share this share of the shorter name's trigrams. */
const MIN_GRAM_SHARE = 0.4;
/** Weight of an exact key (phone, address, domain) in a pair's tally: enough on its own. */
const EXACT = 1_000;

type NearOutcome = Extract<MatchOutcome, { kind: 'noMatch' | 'wouldCreate' }>;

/** A record no priority group found anything for: every attempt came back empty. */
function wantsNear(o: MatchOutcome): o is NearOutcome {
  return (o.kind === 'noMatch' || o.kind === 'wouldCreate') && o.attempts.every((a) => a.count === 0);
}

/** Dataverse rows a near pair could use: inside the filter, not coupled, not proposed in this run. */
function eligibleRows(input: MatchInput, result: MatchResult): DvRow[] {
  const taken = new Set(input.coupledDvIds);
  for (const o of result.outcomes) if (o.kind === 'proposed') taken.add(o.dvId);
  return input.dvRows.filter(
    (r) => !taken.has(r.id) && passesFilter(r.fields, input.mapping.integrationTableFilter),
  );
}

/** The pairs worth scoring, per BC probe: Dataverse position → tally of shared keys. */
function tallyPairs(bcProbes: readonly Probe[], dv: readonly DvRow[], dvFields: NearKeys) {
  const bcBlocks = new Blocks();
  bcProbes.forEach((p, k) => {
    for (const key of p.grams) bcBlocks.add(key, k);
    for (const key of p.exact) bcBlocks.add(key, k);
  });
  // One pass over Dataverse: only keys some BC probe has are kept, each capped like the BC side.
  const dvBlocks = new Blocks();
  const dvGrams = new Map<number, number>();
  dv.forEach((row, j) => {
    const p = probeOf(row.fields, dvFields);
    let hit = false;
    for (const key of [...p.grams, ...p.exact]) {
      if (bcBlocks.usable(key)) {
        dvBlocks.add(key, j);
        hit = true;
      }
    }
    if (hit) dvGrams.set(j, p.grams.length);
  });
  const tallies: Array<Map<number, number> | undefined> = new Array(bcProbes.length);
  for (const [key, rows] of dvBlocks.entries()) {
    if (rows === null) continue;
    const weight = isExactKey(key) ? EXACT : 1;
    const dvList = typeof rows === 'number' ? [rows] : rows;
    for (const k of bcBlocks.get(key)) {
      const tally = (tallies[k] ??= new Map<number, number>());
      for (const j of dvList) tally.set(j, (tally.get(j) ?? 0) + weight);
    }
  }
  return { tallies, dvGrams };
}

/** The pairs of one BC record that deserve a score, most shared keys first. */
function shortlist(tally: Map<number, number>, grams: number, dvGrams: Map<number, number>): number[] {
  const worth = [...tally.entries()].filter(([j, n]) => {
    if (n >= EXACT) return true;
    const shorter = Math.min(grams, dvGrams.get(j) ?? 0);
    return n >= MIN_GRAM_SHARE * shorter && (n >= 2 || shorter <= 2);
  });
  worth.sort(([ja, a], [jb, b]) => b - a || ja - jb);
  return worth.slice(0, MAX_SCORED_PER_RECORD).map(([j]) => j);
}

/**
 * Near matches (issue 15): for each BC record that no priority group found anything for, up to three
 * Dataverse rows that look like the same company (similarity.ts), best first, with score and reasons.
 * They are written onto the outcomes (`near`) and are never counted as matches. Runs after the exact
 * match and leaves it untouched; the search is bounded by blocking (near-blocks.ts): one pass over
 * Dataverse, at most BLOCK_CAP² pairs per key and MAX_SCORED_PER_RECORD scores per record.
 * Returns how many records got near candidates.
 */
export function addNearCandidates(input: MatchInput, result: MatchResult): number {
  const wanted: number[] = [];
  result.outcomes.forEach((o, i) => wantsNear(o) && wanted.push(i));
  if (wanted.length === 0) return 0;
  const fields = nearFields(input.mapping);
  const dvName = DV_NAME_FIELDS[input.mapping.dvTable];
  const dv = eligibleRows(input, result);
  const bcProbes = wanted.map((i) =>
    probeOf((input.bcRecords[i] as MatchInput['bcRecords'][number]).fields, fields.bc),
  );
  const { tallies, dvGrams } = tallyPairs(bcProbes, dv, fields.dv);
  let found = 0;
  tallies.forEach((tally, k) => {
    if (!tally) return;
    const probe = bcProbes[k] as Probe;
    const scored: NearCandidate[] = [];
    for (const j of shortlist(tally, probe.grams.length, dvGrams)) {
      const row = dv[j] as DvRow;
      const s = similarity(probe.keys, probeOf(row.fields, fields.dv).keys);
      if (s)
        scored.push({ dvId: row.id, dvName: asText(row.fields[dvName]), score: s.score, reasons: s.reasons });
    }
    if (scored.length === 0) return;
    scored.sort(
      (a, b) => b.score - a.score || a.dvName.localeCompare(b.dvName) || (a.dvId < b.dvId ? -1 : 1),
    );
    const i = wanted[k] as number;
    const outcome = result.outcomes[i] as NearOutcome;
    result.outcomes[i] = { ...outcome, near: scored.slice(0, MAX_NEAR_CANDIDATES) };
    found++;
  });
  return found;
}
