import type { Actor } from '../model/actor.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { SyncDeps } from './deps.js';
import { runAll } from './full-run.js';
import { runAsJob, type JobRequest } from './job-runner.js';
import { runModified, type Marks } from './mapping-run.js';
import type { SyncRunResult } from './outcome.js';

/** What the caller adds to a whole-mapping run: progress hooks, the run lock, a preview's sink. */
export type WholeMappingOptions = Pick<JobRequest, 'onStarted' | 'lock' | 'sink'>;

/**
 * Synchronize Modified Records or full synchronization of one mapping, as a job. A preview runs this
 * same function over dry-run deps, so what it shows is what the real run would do.
 */
export function runWholeMapping(
  deps: SyncDeps,
  options: WholeMappingOptions,
  actor: Actor,
  mapping: IntegrationTableMapping,
  full: boolean,
): Promise<SyncRunResult> {
  const startedAt = deps.clock.now();
  return runAsJob(
    deps,
    {
      ...options,
      actor,
      mapping,
      direction: mapping.direction,
      mode: { kind: 'auto', full },
      reportOutsideFilter: false,
      keepAllResults: false,
    },
    async (ctx) => {
      const marks: Marks = full ? await runAll(ctx, startedAt) : await runModified(ctx, startedAt);
      const next = { ...(marks.bc ? { bc: marks.bc } : {}), ...(marks.dv ? { dv: marks.dv } : {}) };
      await deps.mappings.advanceHighWaterMarks(mapping.name, next);
    },
  );
}
