import { newId } from '../../ids.js';
import { emptyCounters, type Job, type JobCounters } from '../../model/job.js';
import type { JobRepository } from '../../jobs/job-repository.js';
import type { Clock } from '../../ports/clock.js';
import { guarded } from './guard.js';

/** The job a preview runs under lives in memory only: `status` never lists a preview as a job. */
export function dryJobs(clock: Clock): JobRepository {
  let job: Job | null = null;
  const add = (counters: Partial<JobCounters>) => {
    if (!job) return;
    for (const [k, n] of Object.entries(counters)) job.counters[k as keyof JobCounters] += n ?? 0;
  };
  const simulated: Partial<JobRepository> = {
    start: async (input) => {
      job = {
        id: newId(),
        mapping: input.mapping,
        type: input.type,
        direction: input.direction,
        status: 'Running',
        startedAt: clock.now(),
        finishedAt: null,
        startedBy: input.startedBy,
        startedById: input.startedById ?? '',
        counters: emptyCounters(),
        message: input.message ?? '',
        cancelRequest: null,
        undone: null,
        total: null,
      };
      return job.id;
    },
    get: async (id) => (job && job.id === id ? structuredClone(job) : null),
    progress: async (_id, counters) => {
      add(counters);
      return { running: true, cancelRequest: null };
    },
    incrementCounters: async (_id, counters) => {
      add(counters);
      return true;
    },
    setTotal: async (_id, total) => {
      if (job) job.total = total;
    },
    finish: async (_id, status, message) => {
      if (!job) return false;
      job = { ...job, status, message, finishedAt: clock.now() };
      return true;
    },
  };
  // No real repository behind it: any other method is one the preview does not know, and stops it.
  const unknown = new Proxy({}, { has: () => true }) as JobRepository;
  return guarded<JobRepository>('jobs', unknown, [], simulated);
}
