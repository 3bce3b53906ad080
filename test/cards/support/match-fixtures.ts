import { criteriaOf } from '../../../core/match/criteria.js';
import type { MatchOutcome, NearCandidate } from '../../../core/match/outcome.js';
import type { MatchRun } from '../../../core/match/run-documents.js';
import { bc, customerMapping, guid, nameOf } from './data.js';

/** Three near candidates (the most a record keeps), with the longest reasons similarity.ts writes. */
export function nearCandidates(i: number): NearCandidate[] {
  return [0, 1, 2].map((k) => ({
    dvId: guid(3000 + i * 3 + k),
    dvName: `${nameOf(i)} ${['Holdings', 'Group', 'Trading'][k]}`,
    score: 99 - k * 4,
    reasons: [
      `name ${93 - k}% similar: '${nameOf(i)}' vs '${nameOf(i)} ${['Holdings', 'Group', 'Trading'][k]}'`,
      'same phone digits',
      'same e-mail domain',
    ],
  }));
}

/** Match outcomes of every kind, shaped as core's engine returns them. */
export function matchOutcome(i: number): MatchOutcome {
  const attempts = [{ priority: 0, result: 'none' as const, count: 0, dvIds: [] }];
  switch (i % 6) {
    case 0:
      return {
        kind: 'proposed',
        bc: bc(i),
        dvId: guid(i),
        dvName: nameOf(i),
        priority: 1,
        matchedOn: [
          { bcField: 'Name', dvField: 'name', value: nameOf(i) },
          { bcField: 'City', dvField: 'address1_city', value: 'Atlanta' },
        ],
        attempts,
      };
    case 1:
      return { kind: 'wouldCreate', bc: bc(i), attempts, near: nearCandidates(i) };
    case 2:
      return {
        kind: 'severalMatches',
        bc: bc(i),
        priority: 0,
        count: 3,
        dvIds: [guid(1), guid(2), guid(3)],
        attempts: [{ priority: 0, result: 'several', count: 3, dvIds: [guid(1), guid(2), guid(3)] }],
      };
    case 3:
      return {
        kind: 'matchAlreadyCoupled',
        bc: bc(i),
        priority: 0,
        dvId: guid(i),
        takenInRunBy: '10000',
        attempts: [{ priority: 0, result: 'coupled', count: 1, dvIds: [guid(i)], takenInRunBy: '10000' }],
      };
    case 4:
      return {
        kind: 'noMatch',
        bc: bc(i),
        attempts: [...attempts, { ...attempts[0]!, priority: 1, result: 'noValues' }],
        near: nearCandidates(i),
      };
    default:
      return { kind: 'skipped', bc: bc(i), reason: 'alreadyCoupled' };
  }
}

/** A run as core stores it (core/match/run-documents.ts), so the card is proven to take it as it is. */
export function matchRun(changes: Partial<MatchRun> = {}): MatchRun {
  return {
    id: guid(77),
    mapping: 'CUSTOMER',
    criteria: criteriaOf(customerMapping),
    status: 'Proposed',
    counts: {
      total: 1000,
      proposed: 800,
      noMatch: 100,
      severalMatches: 50,
      matchAlreadyCoupled: 20,
      skipped: 20,
      wouldCreate: 10,
      near: 7,
    },
    sections: [],
    pageSize: 500,
    pages: 2,
    createdBy: { id: 'aad-alex', name: 'Alex Wilber' },
    createdAt: new Date('2024-05-01T10:12:00Z'),
    expiresAt: new Date('2024-05-04T10:12:00Z'),
    decidedBy: null,
    decidedAt: null,
    decision: null,
    selectedRowIds: [],
    jobId: null,
    applied: null,
    leaseUntil: null,
    message: '',
    ...changes,
  };
}
