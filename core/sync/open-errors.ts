import type { Collection, Filter } from 'mongodb';
import { newId } from '../ids.js';
import { filterString } from '../store/documents.js';
import type { Streak, StreakBefore } from './recurring.js';
import { z } from 'zod';

/** `pingPong`: changed on both sides on every run, even where Resolve Update Conflicts decided each time. */
export const SyncErrorKind = z.enum(['conflict', 'deletion', 'failure', 'pingPong']);
export type SyncErrorKind = z.infer<typeof SyncErrorKind>;

/** What a run reports about one record's failure; the repository opens or refreshes its error. */
export interface SyncErrorInput {
  mapping: string;
  bcId: string;
  bcNumber: string;
  dvId: string | null;
  kind: SyncErrorKind;
  missingSide?: 'bc' | 'dv' | null;
  message: string;
  jobId: string | null;
  waitingFor?: string | null;
  /** Runs in a row the caller counted itself (changed on both sides); see nextStreak. */
  runs?: number;
}

export interface ErrorFilter {
  mapping?: string;
  /** Only records that loop (recurringSince set). */
  recurring?: boolean;
  /** Only records that started to loop after this time. */
  recurringAfter?: Date;
}

export function openQuery(filter: ErrorFilter): Filter<Record<string, unknown>> {
  const query: Filter<Record<string, unknown>> = { status: 'open' };
  if (filter.mapping !== undefined) query['mapping'] = filterString(filter.mapping, 'Mapping');
  if (filter.recurring === true) query['recurringSince'] = { $ne: null };
  if (filter.recurringAfter !== undefined) query['recurringSince'] = { $gt: filter.recurringAfter };
  return query;
}

/** The upsert of one record's open error: refreshed in place, its streak carried on. */
export function upsertOpen(e: SyncErrorInput, at: Date, streak: Streak) {
  return {
    filter: {
      mapping: filterString(e.mapping, 'Mapping'),
      bcId: filterString(e.bcId, 'Business Central id'),
      status: 'open',
    },
    update: {
      $set: {
        bcNumber: e.bcNumber,
        dvId: e.dvId,
        kind: e.kind,
        missingSide: e.missingSide ?? null,
        message: e.message,
        jobId: e.jobId,
        waitingFor: e.waitingFor ?? null,
        lastSeenAt: at,
        ...streak,
      },
      $inc: { occurrences: 1 },
      $setOnInsert: {
        id: newId(),
        at,
        resolvedAt: null,
        resolvedBy: null,
        resolution: null,
        claimedBy: null,
        claimedAt: null,
      },
    },
    upsert: true,
  };
}

/** The streaks of the records' open errors before this run, by mapping + BC id. */
export async function streaksBefore(
  col: Collection,
  inputs: readonly SyncErrorInput[],
): Promise<Map<string, StreakBefore>> {
  const mappings = [...new Set(inputs.map((e) => filterString(e.mapping, 'Mapping')))];
  const bcIds = [...new Set(inputs.map((e) => filterString(e.bcId, 'Business Central id')))];
  const docs = await col
    .find({ status: 'open', mapping: { $in: mappings }, bcId: { $in: bcIds } })
    .project({ _id: 0, mapping: 1, bcId: 1, signature: 1, streak: 1, jobId: 1, recurringSince: 1 })
    .toArray();
  return new Map(
    docs.map((d) => [
      `${String(d['mapping'])}\u0000${String(d['bcId'])}`,
      {
        signature: typeof d['signature'] === 'string' ? d['signature'] : '',
        streak: typeof d['streak'] === 'number' ? d['streak'] : 1,
        jobId: typeof d['jobId'] === 'string' ? d['jobId'] : null,
        recurringSince: d['recurringSince'] instanceof Date ? d['recurringSince'] : null,
      },
    ]),
  );
}
