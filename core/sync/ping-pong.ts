import type { Coupling } from '../model/coupling.js';
import { RECURRING_RUNS } from './recurring.js';
import type { RunContext } from './run-context.js';
import type { SyncErrorInput } from './sync-error-repository.js';
import type { Pending } from './write-side.js';

/**
 * A record whose fields change on both sides on every run loops even when Resolve Update Conflicts
 * decides each time: one side's change is overwritten run after run (domain.md §9, "records that
 * loop"). Only the mapping's own rules count (auto mode); a person choosing a side starts over.
 */
export function bothSidesRuns(ctx: RunContext, p: Pending): number {
  if (ctx.mode.kind !== 'auto' || !p.conflicts || p.conflicts.length === 0) return 0;
  return (p.coupling.bothSidesRuns ?? 0) + 1;
}

/** The record's error once it changed on both sides on RECURRING_RUNS runs in a row; null before. */
export function pingPongError(ctx: RunContext, p: Pending, runs: number): SyncErrorInput | null {
  if (runs < RECURRING_RUNS) return null;
  const c = p.coupling;
  const m = ctx.mapping;
  const fields = (p.conflicts ?? []).join(', ');
  return {
    mapping: c.mapping,
    bcId: c.bcId,
    bcNumber: c.bcNumber,
    dvId: c.dvId,
    kind: 'pingPong',
    message:
      `${m.bcTable} ${c.bcNumber} and its ${m.dvTable} were changed in both Business Central and Dataverse ` +
      `on every run (${fields}); Resolve Update Conflicts (${m.updateConflictResolution}) decided each time, ` +
      'so one side keeps overwriting the other. Something may be writing it back (another integration, a ' +
      'workflow): stop it, or make these fields flow one way.',
    jobId: ctx.jobId,
    runs,
  };
}

/** A coupling that may still have a ping-pong error open: the next quiet run closes it. */
export const mayBePingPong = (c: Coupling): boolean => (c.bothSidesRuns ?? 0) >= RECURRING_RUNS;
