import { z } from 'zod';
import { DomainError, ErrorCode } from '../errors.js';
import type { Actor } from '../model/actor.js';
import type { Job } from '../model/job.js';
import type { JobRepository } from './job-repository.js';

/** Job ids are GUIDs (core/ids.ts); anything else is refused before it reaches a filter. */
export const JobId = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  .transform((s) => s.toLowerCase());

/** The job id typed or clicked, or a refusal saying what one looks like and where to find it. */
export function requireJobId(jobId: unknown, after = ''): string {
  const id = JobId.safeParse(jobId);
  if (!id.success) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `A job id looks like 3f2504e0-4f89-41d3-9a0c-0305e82c3301; type status to see recent jobs and their ids.${after}`,
    );
  }
  return id.data;
}

/** How a cancel request ended; the bot words it. */
export type CancelAnswer =
  /** This request was recorded; the runner stops at its next chunk boundary. */
  | { kind: 'requested'; job: Job }
  /** Someone had already asked (job.cancelRequest says who and when). */
  | { kind: 'already'; job: Job }
  /** The job had already ended: its final status and counters. */
  | { kind: 'ended'; job: Job };

export interface JobControl {
  /**
   * Asks a Running job to stop. Who may: the person who started it, or a manager. Idempotent: a second
   * request answers who asked first; a finished job answers its final state.
   */
  requestCancel(jobId: unknown, actor: Actor): Promise<CancelAnswer>;
  /** `cancel last`: the actor's own most recent Running job. */
  requestCancelLast(actor: Actor): Promise<CancelAnswer>;
}

export function createJobControl(deps: {
  jobs: Pick<JobRepository, 'get' | 'requestCancel' | 'latestRunningStartedBy'>;
  roles: { isManager(actor: Actor): boolean };
}): JobControl {
  const { jobs, roles } = deps;

  const mayCancel = (job: Job, actor: Actor): boolean =>
    roles.isManager(actor) ||
    (job.startedById !== '' && job.startedById.toLowerCase() === actor.id.trim().toLowerCase());

  async function cancel(job: Job, actor: Actor): Promise<CancelAnswer> {
    if (!mayCancel(job, actor)) {
      throw new DomainError(
        ErrorCode.Forbidden,
        `Only ${job.startedBy || 'the person who started it'} or a manager can cancel job ${job.id}.`,
      );
    }
    if (job.status !== 'Running') return { kind: 'ended', job };
    const res = await jobs.requestCancel(job.id, { byId: actor.id, byName: actor.name || actor.id });
    if (res.outcome === 'notFound') throw notFound(job.id);
    return { kind: res.outcome, job: res.job };
  }

  const notFound = (id: string) =>
    new DomainError(
      ErrorCode.NotFound,
      `There is no job ${id}. Type status to see recent jobs and their ids.`,
    );

  return {
    async requestCancel(jobId, actor) {
      const id = requireJobId(jobId);
      const job = await jobs.get(id);
      if (!job) throw notFound(id);
      return cancel(job, actor);
    },

    async requestCancelLast(actor) {
      const job = await jobs.latestRunningStartedBy(actor.id.trim().toLowerCase());
      if (!job) {
        throw new DomainError(
          ErrorCode.NotFound,
          'You have no running job to cancel. Type status to see recent jobs; cancel job <id> cancels one by its id.',
        );
      }
      return cancel(job, actor);
    },
  };
}
