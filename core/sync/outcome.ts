import { emptyCounters, type Job, type JobCounters } from '../model/job.js';
import type { FieldChange } from './fields.js';

/** What happened to one record, as BC's counters name it. */
export type Outcome =
  'Inserted' | 'Modified' | 'Unchanged' | 'Skipped' | 'Failed' | 'Deleted' | 'Coupled' | 'Uncoupled';

/** One line of the result card: the record, what happened, the changed fields (old → new), the error. */
export interface RecordResult {
  bcId: string | null;
  bcNumber: string;
  dvId: string | null;
  outcome: Outcome;
  changes: FieldChange[];
  message?: string;
  /** A record created on the other side was also coupled (Inserted + Coupled). */
  coupled?: boolean;
  /** Failed only because a record it refers to is not coupled yet (mapping names): retried next run. */
  waitingFor?: string;
}

export interface SyncRunResult {
  job: Job;
  /** Per-record results: all of them for Synchronize Now; for whole-mapping runs all but Unchanged, up to a cap. */
  records: RecordResult[];
  /** Records left out of `records` because of the cap. */
  recordsOmitted: number;
  /** Errors this run opened that were not open before (what is worth a notification). */
  newErrors: number;
}

const COUNTER_OF: Record<Outcome, keyof JobCounters> = {
  Inserted: 'inserted',
  Modified: 'modified',
  Unchanged: 'unchanged',
  Skipped: 'skipped',
  Failed: 'failed',
  Deleted: 'deleted',
  Coupled: 'coupled',
  Uncoupled: 'uncoupled',
};

/** The job counters of a set of results. */
export function tally(results: readonly RecordResult[]): JobCounters {
  const c = emptyCounters();
  for (const r of results) {
    c[COUNTER_OF[r.outcome]] += 1;
    if (r.coupled && r.outcome !== 'Coupled') c.coupled += 1;
  }
  return c;
}

const PHRASES: Array<[keyof JobCounters, string]> = [
  ['inserted', 'inserted'],
  ['modified', 'modified'],
  ['unchanged', 'unchanged'],
  ['skipped', 'skipped'],
  ['failed', 'failed'],
  ['deleted', 'deleted'],
  ['coupled', 'coupled'],
  ['uncoupled', 'uncoupled'],
];

/** "2 modified, 8 unchanged, 1 failed" — or "Nothing to synchronize". */
export function summarize(c: JobCounters): string {
  const parts = PHRASES.filter(([k]) => c[k] > 0).map(([k, word]) => `${c[k]} ${word}`);
  return parts.length === 0 ? 'Nothing to synchronize.' : `${parts.join(', ')}.`;
}
