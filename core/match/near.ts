import { passesFilter } from '../model/filter.js';
import { asText } from '../model/normalise.js';
import type { DvRow } from '../model/record.js';
import { DV_NAME_FIELDS } from '../model/tables.js';
import { Blocks, eachKey, keysOf, nearFields } from './near-blocks.js';
import { MAX_NEAR_CANDIDATES, type MatchOutcome, type NearCandidate } from './outcome.js';
import type { MatchInput, MatchResult } from './run-match.js';
import { similarityOf, type NearKeys, type Prepared } from './similarity.js';

/** Pairs scored per BC record at most: those sharing the most block keys. */
export const MAX_SCORED_PER_RECORD = 8;
/** A pair found by name trigrams alone must share this share of the shorter name's trigrams. */
const MIN_GRAM_SHARE = 0.4;
/** Weight of an exact key (phone, address, domain) in a pair's tally: enough on its own to be scored. */
const EXACT = 1_000;
/**
 * In the order of scoring, an exact key counts like this many shared trigrams: a phone in common must
 * not crowd out a name nearly the same (a dozen trigrams), nor the reverse.
 */
const EXACT_RANK = 8;
const rankOf = (n: number): number => (n % EXACT) + EXACT_RANK * Math.floor(n / EXACT);

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

/** A record nothing matched, or a Dataverse row sharing a key with one: prepared keys, trigram count. */
interface Probe {
  keys: Prepared;
  grams: number;
}

/**
 * Blocks on both sides. Dataverse is read once: a row's keys are kept only where some BC probe has
 * them, and its probe only when it shares at least one, so memory follows the BC records nothing matched.
 */
function buildBlocks(bcProbes: readonly Probe[], dv: readonly DvRow[], dvFields: NearKeys) {
  const bcBlocks = new Blocks();
  bcProbes.forEach((p, k) => eachKey(p.keys, (key) => bcBlocks.add(key, k)));
  const dvBlocks = new Blocks();
  const dvProbes: Array<Probe | undefined> = new Array<Probe | undefined>(dv.length);
  const dvGrams = new Uint8Array(dv.length);
  let hit = false;
  let row = 0;
  const note = (key: number | string) => {
    if (!bcBlocks.usable(key)) return;
    dvBlocks.add(key, row);
    hit = true;
  };
  for (row = 0; row < dv.length; row++) {
    hit = false;
    const keys = keysOf((dv[row] as DvRow).fields, dvFields);
    const grams = eachKey(keys, note);
    if (hit) {
      dvProbes[row] = { keys, grams };
      dvGrams[row] = grams;
    }
  }
  return { bcBlocks, dvBlocks, dvProbes, dvGrams };
}

/**
 * How many keys one BC record shares with each Dataverse row: counts by position, and the positions
 * touched, so that moving on to the next record resets only those (no map, nothing allocated per pair).
 */
class Tally {
  readonly counts: Int32Array;
  readonly touched: number[] = [];

  constructor(size: number) {
    this.counts = new Int32Array(size);
  }

  fill(probe: Probe, blocks: ReturnType<typeof buildBlocks>): void {
    for (const j of this.touched) this.counts[j] = 0;
    this.touched.length = 0;
    // Dataverse holds only keys the BC side could use, so its entry alone decides.
    eachKey(probe.keys, (key, exact) => {
      const rows = blocks.dvBlocks.raw(key);
      if (rows === undefined || rows === null) return;
      const weight = exact ? EXACT : 1;
      if (typeof rows === 'number') this.count(rows, weight);
      else for (const j of rows) this.count(j, weight);
    });
  }

  private count(j: number, weight: number): void {
    if (this.counts[j] === 0) this.touched.push(j);
    this.counts[j] = (this.counts[j] as number) + weight;
  }

  /** The rows worth a score, most shared keys first (then position), at most MAX_SCORED_PER_RECORD. */
  shortlist(grams: number, dvGrams: Uint8Array): number[] {
    const top: number[] = [];
    const rank = (j: number) => rankOf(this.counts[j] as number);
    const before = (a: number, b: number) => rank(a) > rank(b) || (rank(a) === rank(b) && a < b);
    for (const j of this.touched) {
      const n = this.counts[j] as number;
      const shorter = Math.min(grams, dvGrams[j] as number);
      if (n < EXACT && (n < MIN_GRAM_SHARE * shorter || (n < 2 && shorter > 2))) continue;
      if (top.length === MAX_SCORED_PER_RECORD && !before(j, top[top.length - 1] as number)) continue;
      if (top.length === MAX_SCORED_PER_RECORD) top.pop();
      let at = top.length;
      while (at > 0 && before(j, top[at - 1] as number)) at--;
      top.splice(at, 0, j);
    }
    return top;
  }
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
  const bcProbes = wanted.map((i): Probe => {
    const keys = keysOf((input.bcRecords[i] as MatchInput['bcRecords'][number]).fields, fields.bc);
    return { keys, grams: eachKey(keys, () => undefined) };
  });
  const blocks = buildBlocks(bcProbes, dv, fields.dv);
  const tally = new Tally(dv.length);
  let found = 0;
  bcProbes.forEach((probe, k) => {
    tally.fill(probe, blocks);
    const scored: NearCandidate[] = [];
    for (const j of tally.shortlist(probe.grams, blocks.dvGrams)) {
      const row = dv[j] as DvRow;
      const s = similarityOf(probe.keys, (blocks.dvProbes[j] as Probe).keys);
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
