import { z } from 'zod';

/**
 * BC's three types; Import, a bulk insert of Dataverse rows from a file; and Undo, a job that reversed
 * another job's changes (it can be undone in turn).
 */
export const JobType = z.enum(['Synchronization', 'Uncoupling', 'Coupling', 'Import', 'Undo']);
export type JobType = z.infer<typeof JobType>;

export const JobStatus = z.enum(['Running', 'Finished', 'Failed', 'Interrupted', 'Cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;

export const JobCounters = z.object({
  inserted: z.number().int().min(0),
  modified: z.number().int().min(0),
  deleted: z.number().int().min(0),
  unchanged: z.number().int().min(0),
  skipped: z.number().int().min(0),
  failed: z.number().int().min(0),
  coupled: z.number().int().min(0),
  uncoupled: z.number().int().min(0),
});
export type JobCounters = z.infer<typeof JobCounters>;

export const emptyCounters = (): JobCounters => ({
  inserted: 0,
  modified: 0,
  deleted: 0,
  unchanged: 0,
  skipped: 0,
  failed: 0,
  coupled: 0,
  uncoupled: 0,
});

/** Someone asked a Running job to stop; its runner stops at the next chunk boundary and ends it Cancelled. */
export const CancelRequest = z.object({
  /** Entra object id of who asked. */
  byId: z.string(),
  byName: z.string(),
  at: z.date(),
});
export type CancelRequest = z.infer<typeof CancelRequest>;

/** Someone undid the job: who, when, and the Undo job that did it (set once, compare-and-set). */
export const UndoMark = z.object({
  byId: z.string(),
  byName: z.string(),
  at: z.date(),
  undoJobId: z.string().nullable(),
  /** The undo stopped midway or could not reverse everything: undoing the job again reverses the rest. */
  partly: z.boolean().optional(),
});
export type UndoMark = z.infer<typeof UndoMark>;

/** An Integration Synchronization Job (domain.md §5). */
export const Job = z.object({
  id: z.string(),
  mapping: z.string(),
  type: JobType,
  /** 'ToIntegrationTable' | 'FromIntegrationTable' | 'Bidirectional' or '' for coupling jobs */
  direction: z.string(),
  status: JobStatus,
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  startedBy: z.string(),
  /** Entra object id of who started it ('' for jobs stored before it was kept): they may cancel it. */
  startedById: z.string().default(''),
  counters: JobCounters,
  message: z.string(),
  cancelRequest: CancelRequest.nullable().default(null),
  undone: UndoMark.nullable().default(null),
  /**
   * Records the run expects to examine, exact (Synchronize Now) or estimated (a full synchronization
   * counts its couplings before it starts); absent or null when the run cannot know (Synchronize Modified
   * Records, jobs stored before totals were kept).
   */
  total: z.number().int().min(0).nullable().optional(),
});
export type Job = z.infer<typeof Job>;
