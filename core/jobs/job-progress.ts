import type { Job, JobCounters, JobType } from '../model/job.js';

/** The counters that each stand for one record examined (coupled and uncoupled come on top of them). */
const EXAMINED: ReadonlyArray<keyof JobCounters> = [
  'inserted',
  'modified',
  'deleted',
  'unchanged',
  'skipped',
  'failed',
];

/** Records a job has examined so far, whatever became of them. */
export const examined = (c: JobCounters): number => EXAMINED.reduce((sum, k) => sum + c[k], 0);

export interface JobProgressView {
  done: number;
  /** What the job expects in all (never below `done`: an estimate that fell short grows), or null. */
  total: number | null;
  /** Whole percent; a Running job stays below 100 until it ends. Null without a total. */
  percent: number | null;
}

/** What a job's progress is counted in: an Uncoupling job removes couplings, the others examine records. */
export type ProgressOf = Pick<Job, 'counters' | 'total' | 'status'> & { type?: JobType };

/** Units a job has done so far: couplings removed (Uncoupling), records examined (the others). */
export const doneSoFar = (job: ProgressOf): number =>
  job.type === 'Uncoupling' ? job.counters.uncoupled : examined(job.counters);

/** How far a job is: records examined of those expected, as a percentage when a total is known. */
export function jobProgress(job: ProgressOf): JobProgressView {
  const done = doneSoFar(job);
  if (job.total === null || job.total === undefined) return { done, total: null, percent: null };
  const total = Math.max(job.total, done);
  if (total === 0) return { done, total, percent: job.status === 'Running' ? 0 : 100 };
  const percent = Math.floor((done * 100) / total);
  return { done, total, percent: job.status === 'Running' ? Math.min(percent, 99) : percent };
}
