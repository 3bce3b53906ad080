import { doneSoFar, jobProgress, type ProgressOf } from '../../core/jobs/job-progress.js';
import type { Job } from '../../core/model/job.js';
import type { Reply } from '../reply.js';
import { card } from './cards.js';

const n = (v: number): string => v.toLocaleString('en-US');

/**
 * "1,240 of 10,000 records (12%) · inserted 3 · modified 1,100 · failed 2" — or, when the run cannot know
 * its total (Synchronize Modified Records), "1,240 records so far · …". An Uncoupling job counts couplings:
 * "120 of 1,000 couplings (12%) · uncoupled 120".
 */
export function progressText(job: ProgressOf): string {
  const { done, total, percent } = jobProgress(job);
  const unit = job.type === 'Uncoupling' ? 'coupling' : 'record';
  const head =
    total === null || percent === null
      ? `${n(done)} ${unit}${done === 1 ? '' : 's'} so far`
      : `${n(done)} of ${n(total)} ${unit}s (${percent}%)`;
  if (job.type === 'Uncoupling') return `${head} · uncoupled ${n(job.counters.uncoupled)}`;
  const { inserted, modified, failed } = job.counters;
  return `${head} · inserted ${n(inserted)} · modified ${n(modified)} · failed ${n(failed)}`;
}

/**
 * The card a running job shows: what, who, when, and how far it got (`progress` once it moved).
 * `rememberAs` is given for the copy the turn sends, so the job's updates find it.
 */
export function runningCard(job: Job, label: string, options: { rememberAs?: string } = {}): Reply {
  const moved = doneSoFar(job) > 0 || (job.total ?? null) !== null;
  return card(
    'jobRunning',
    {
      jobId: job.id,
      mapping: job.mapping,
      type: job.type,
      direction: label,
      startedAt: job.startedAt,
      startedBy: job.startedBy,
      note: moved
        ? 'Running… this card shows the counters as they move and the result when the job finishes.'
        : 'Running… this card is updated with the counters when the job finishes.',
      progress: moved ? progressText(job) : '',
      counters: job.counters,
    },
    options.rememberAs,
  );
}
