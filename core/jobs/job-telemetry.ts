import type { JobType } from '../model/job.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { JobRepository } from './job-repository.js';

/** Jobs this instance started and has not seen end; more than this many running at once is not expected. */
const MAX_REMEMBERED = 1_000;

/**
 * The job repository, counting every job that ends by type and outcome (Finished, Failed,
 * Interrupted, Cancelled) — the "jobs by outcome" metric — without the services that run jobs knowing about it.
 */
export function withJobTelemetry(jobs: JobRepository, telemetry: Telemetry): JobRepository {
  const types = new Map<string, JobType>();
  const remember = (id: string, type: JobType) => {
    types.set(id, type);
    if (types.size > MAX_REMEMBERED) types.delete(types.keys().next().value as string);
  };
  return {
    async start(input) {
      const id = await jobs.start(input);
      remember(id, input.type);
      return id;
    },
    incrementCounters: (id, counters) => jobs.incrementCounters(id, counters),
    progress: (id, counters) => jobs.progress(id, counters),
    setTotal: (id, total) => jobs.setTotal(id, total),
    requestCancel: (id, by) => jobs.requestCancel(id, by),
    latestRunningStartedBy: (id) => jobs.latestRunningStartedBy(id),
    markUndone: (id, by) => jobs.markUndone(id, by),
    setUndoJob: (id, undoJobId) => jobs.setUndoJob(id, undoJobId),
    markPartlyUndone: (id, undoJobId) => jobs.markPartlyUndone(id, undoJobId),
    clearUndone: (id, mine, previous) => jobs.clearUndone(id, mine, previous),
    recentUndoableStartedBy: (id, types) => jobs.recentUndoableStartedBy(id, types),
    async finish(id, status, message) {
      const ended = await jobs.finish(id, status, message);
      if (ended) {
        const type = types.get(id) ?? (await jobs.get(id))?.type ?? 'unknown';
        telemetry.jobsEnded(1, { type, outcome: status });
      }
      types.delete(id);
      return ended;
    },
    get: (id) => jobs.get(id),
    listRecent: (filter) => jobs.listRecent(filter),
    claimStallAlerts: (limit) => jobs.claimStallAlerts(limit),
    async markInterrupted(options) {
      const count = await jobs.markInterrupted(options);
      // Whose jobs they were is not known here (another instance may have started them).
      if (count > 0) telemetry.jobsEnded(count, { type: 'any', outcome: 'Interrupted' });
      return count;
    },
  };
}
