import type { Actor } from '../model/actor.js';
import type { JobCounters, JobType } from '../model/job.js';
import type { CouplingDeps } from './deps.js';

/**
 * A manual coupling change (couple, Create New, Delete Coupling) becomes a finished job once it took
 * effect, under the id its journal entries were recorded with, so that it can be undone like any job.
 * Without a journal (a preview, a test without undo) there is nothing to undo and no job.
 */
export async function recordCouplingJob(
  deps: CouplingDeps,
  actor: Actor,
  input: { id: string; mapping: string; type: JobType; counters: Partial<JobCounters>; message: string },
): Promise<string | undefined> {
  if (!deps.journal) return undefined;
  const id = await deps.jobs.start({
    id: input.id,
    mapping: input.mapping,
    type: input.type,
    direction: '',
    startedBy: actor.name || actor.id,
    startedById: actor.id,
  });
  await deps.jobs.incrementCounters(id, input.counters);
  await deps.jobs.finish(id, 'Finished', input.message);
  return id;
}
