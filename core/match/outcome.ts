import { z } from 'zod';

/** The BC record an outcome is about: enough to show it on a card without reloading it. */
export const BcRef = z.object({ id: z.string(), number: z.string(), name: z.string() });
export type BcRef = z.infer<typeof BcRef>;

/** A field that matched: the "reason" shown next to a proposal (domain.md §9: no black box). */
export const MatchedField = z.object({ bcField: z.string(), dvField: z.string(), value: z.string() });
export type MatchedField = z.infer<typeof MatchedField>;

/** At most this many candidate ids are kept per attempt; `count` always tells the full number. */
export const MAX_CANDIDATE_IDS = 5;

/**
 * What one priority group found for one BC record, in the order tried; a proposal lists only the groups
 * that failed before the one that matched.
 * noValues: every field of the group is empty on the BC record, so the group cannot match.
 */
export const MatchAttempt = z.object({
  priority: z.number().int(),
  result: z.enum(['noValues', 'none', 'several', 'coupled']),
  count: z.number().int().min(0),
  dvIds: z.array(z.string()),
  /** For 'coupled' found in this run: the BC record proposed for that row earlier in the run. */
  takenInRunBy: z.string().optional(),
});
export type MatchAttempt = z.infer<typeof MatchAttempt>;

const attempts = z.array(MatchAttempt);

/** At most this many near candidates are kept per BC record (issue 15), best first. */
export const MAX_NEAR_CANDIDATES = 3;

/**
 * A Dataverse row that no match criterion found but that looks like the same company (similarity.ts):
 * a suggestion with its score and reasons, never counted as a match and never applied by Approve all;
 * a manager may approve the single pair.
 */
export const NearCandidate = z.object({
  dvId: z.string(),
  dvName: z.string(),
  score: z.number().int().min(0).max(100),
  reasons: z.array(z.string()).max(3),
});
export type NearCandidate = z.infer<typeof NearCandidate>;

/** Only on records that no priority group found anything for (noMatch, wouldCreate). */
const near = z.array(NearCandidate).max(MAX_NEAR_CANDIDATES).optional();

export const MatchOutcome = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('proposed'),
    bc: BcRef,
    dvId: z.string(),
    dvName: z.string(),
    priority: z.number().int(),
    matchedOn: z.array(MatchedField),
    attempts,
  }),
  z.object({ kind: z.literal('noMatch'), bc: BcRef, attempts, near }),
  z.object({
    kind: z.literal('severalMatches'),
    bc: BcRef,
    priority: z.number().int(),
    count: z.number().int(),
    dvIds: z.array(z.string()),
    attempts,
  }),
  z.object({
    kind: z.literal('matchAlreadyCoupled'),
    bc: BcRef,
    priority: z.number().int(),
    dvId: z.string(),
    takenInRunBy: z.string().optional(),
    attempts,
  }),
  z.object({ kind: z.literal('skipped'), bc: BcRef, reason: z.enum(['alreadyCoupled', 'outsideFilter']) }),
  z.object({ kind: z.literal('wouldCreate'), bc: BcRef, attempts, near }),
]);
export type MatchOutcome = z.infer<typeof MatchOutcome>;
export type OutcomeKind = MatchOutcome['kind'];

export const OUTCOME_KINDS = [
  'proposed',
  'wouldCreate',
  'severalMatches',
  'matchAlreadyCoupled',
  'noMatch',
  'skipped',
] as const satisfies readonly OutcomeKind[];

export const MatchCounts = z.object({
  total: z.number().int().min(0),
  proposed: z.number().int().min(0),
  noMatch: z.number().int().min(0),
  severalMatches: z.number().int().min(0),
  matchAlreadyCoupled: z.number().int().min(0),
  skipped: z.number().int().min(0),
  wouldCreate: z.number().int().min(0),
  /** Records with near candidates (issue 15): suggestions, not matches; absent on older runs. */
  near: z.number().int().min(0).optional(),
});
export type MatchCounts = z.infer<typeof MatchCounts>;

export function countOutcomes(outcomes: readonly MatchOutcome[]): MatchCounts {
  const counts: MatchCounts = {
    total: outcomes.length,
    proposed: 0,
    noMatch: 0,
    severalMatches: 0,
    matchAlreadyCoupled: 0,
    skipped: 0,
    wouldCreate: 0,
  };
  for (const o of outcomes) counts[o.kind] += 1;
  return counts;
}
