import { z } from 'zod';
import { jobProgress } from '../../core/jobs/job-progress.js';
import { JobCounters, JobStatus, JobType } from '../../core/model/job.js';
import { outcomeSlices, RunsChart } from './charts.js';
import { countersText, Id, RecordLinks, ShortText, Text, When, type Tone } from './common.js';

/** Answers an invoke at once while a job runs; replaced by the result when it finishes. */
export const JobRunningCardData = z
  .object({
    jobId: Id,
    mapping: Id,
    type: JobType,
    direction: ShortText.default(''),
    startedAt: When,
    startedBy: ShortText,
    note: Text.default('Running… this card is updated when the job finishes.'),
    /** "1,240 of 10,000 records (12%) · inserted 3 · modified 1,100 · failed 2" while it runs; '' before. */
    progress: Text.default(''),
    /** The counters so far: charted as the outcome split while the job runs. */
    counters: JobCounters.optional(),
  })
  .transform(({ counters, ...d }) => ({ ...d, outcome: counters ? outcomeSlices(counters) : [] }));
export type JobRunningCardData = z.input<typeof JobRunningCardData>;

const STATUS_COLOR: Record<JobStatus, Tone> = {
  Running: 'Accent',
  Finished: 'Good',
  Failed: 'Attention',
  Interrupted: 'Warning',
  Cancelled: 'Warning',
};

/** Named like core's Job, so stored jobs can be passed as they are. */
const JobView = z
  .object({
    id: Id,
    mapping: Id,
    type: JobType,
    direction: z.string().max(100),
    status: JobStatus,
    startedAt: When,
    finishedAt: When.nullable(),
    startedBy: ShortText,
    counters: JobCounters,
    message: Text,
    /** A Running job someone asked to stop shows "Cancelling". */
    cancelRequest: z.object({ byName: ShortText }).nullable().default(null),
    /** What a run expects to examine, when it knows: a Running job shows how far it got as a percentage. */
    total: z.number().int().min(0).nullable().optional(),
    /** Undone (or partly: the undo stopped or left failures, and undoing it again does the rest). */
    undone: z.object({ byName: ShortText, partly: z.boolean().optional() }).nullable().default(null),
  })
  .transform(({ cancelRequest, total, undone, ...j }) => ({
    ...j,
    heading: `${j.mapping} · ${j.type}${j.direction ? ` · ${j.direction}` : ''}`,
    status: j.status === 'Running' && cancelRequest ? 'Cancelling' : j.status,
    statusColor: STATUS_COLOR[j.status === 'Running' && cancelRequest ? 'Cancelled' : j.status],
    period:
      `${j.startedAt} → ${j.finishedAt ?? '…'} · by ${j.startedBy} · job ${j.id}` +
      (j.status === 'Running' && cancelRequest ? ` · cancel asked by ${cancelRequest.byName}` : '') +
      undoneText(undone),
    counters: countersText(j.counters),
    progress: runningProgress({ ...j, total }),
  }));

function undoneText(u: { byName: string; partly?: boolean | undefined } | null): string {
  if (!u) return '';
  return u.partly
    ? ` · partly undone by ${u.byName}; undo it again for the rest`
    : ` · undone by ${u.byName}`;
}

const n = (v: number): string => v.toLocaleString('en-US');

/** "1,240 of 10,000 (12%)" for a Running job that knows its total; '' otherwise (its counters say the rest). */
function runningProgress(job: {
  type: JobType;
  status: JobStatus;
  counters: JobCounters;
  total?: number | null;
}): string {
  if (job.status !== 'Running') return '';
  const { done, total, percent } = jobProgress(job);
  return total === null || percent === null ? '' : `${n(done)} of ${n(total)} (${percent}%)`;
}

export const JobsCardData = z.object({
  /** "CUSTOMER" or "all table mappings". */
  scope: ShortText,
  jobs: z.array(JobView).max(25),
  /** A closing hint, e.g. how to re-run an Interrupted job. */
  note: Text.default(''),
  /** The last synchronization runs of each mapping in scope, charted (Teams) or summed up (other clients). */
  charts: z.array(RunsChart).max(12).default([]),
});
export type JobsCardData = z.input<typeof JobsCardData>;

const ErrorActions = z
  .object({
    retry: z.boolean().default(false),
    synchronize: z.boolean().default(false),
    deleteCoupling: z.boolean().default(false),
    restore: z.boolean().default(false),
    deleteRecord: z.boolean().default(false),
  })
  .default({ retry: false, synchronize: false, deleteCoupling: false, restore: false, deleteRecord: false });

/** One Coupled Data Synchronization Error; `actions` says which buttons apply to it (core decides). */
const SyncErrorRow = z
  .object({
    id: Id,
    mapping: Id,
    number: Id,
    name: ShortText,
    dvName: ShortText.default(''),
    /** "Failed", "Update conflict", "Deletion conflict: Dataverse row deleted" … */
    kind: ShortText,
    message: Text,
    at: When,
    actions: ErrorActions,
    /** Open in Business Central / Open in Dataverse (HTTP connectors only). */
    links: RecordLinks,
  })
  .transform((e) => ({
    ...e,
    heading: `${e.mapping} · ${e.number} ${e.name}${e.dvName ? ` ↔ ${e.dvName}` : ''}`,
    hasActions: Object.values(e.actions).some(Boolean) || e.links.bc !== '' || e.links.dv !== '',
  }));

/** A card lists at most this many errors; `total` tells how many there are. */
export const MAX_ERRORS_PER_CARD = 15;

export const SyncErrorsCardData = z
  .object({
    scope: ShortText,
    /** The mapping Retry All applies to, or '' for every mapping in scope. */
    mapping: z.string().max(200).default(''),
    total: z.number().int().min(0),
    errors: z.array(SyncErrorRow).max(MAX_ERRORS_PER_CARD),
    canRetryAll: z.boolean(),
    /** `errors … recurring`: only records that fail the same way run after run. */
    recurringOnly: z.boolean().default(false),
  })
  .transform((d) => ({
    ...d,
    summary:
      d.total === 0
        ? `No ${d.recurringOnly ? 'recurring ' : ''}synchronization errors for ${d.scope}.`
        : `${d.total} ${d.recurringOnly ? 'recurring ' : ''}error${d.total === 1 ? '' : 's'} for ${d.scope}` +
          (d.total > d.errors.length ? `; the ${d.errors.length} most recent are shown.` : '.'),
  }));
export type SyncErrorsCardData = z.input<typeof SyncErrorsCardData>;
