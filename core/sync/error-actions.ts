import { DomainError, ErrorCode } from '../errors.js';
import { requireAvailable } from '../mappings/availability.js';
import type { Actor } from '../model/actor.js';
import type { Coupling } from '../model/coupling.js';
import type { DeletionConflictResolution, IntegrationTableMapping } from '../model/mapping.js';
import type { SyncDeps } from './deps.js';
import { runAsJob, type RunOptions } from './job-runner.js';
import { runRecords } from './mapping-run.js';
import type { SyncRunResult } from './outcome.js';
import type { PlanMode } from './plan.js';
import { errorId, type ErrorFilter, type SyncError } from './sync-error-repository.js';
import { modeFor, requireAllowed } from './sync-input.js';

/** The outcome of an action on one error: the error as it is now, and the run when one was needed. */
export interface ErrorActionResult {
  error: SyncError;
  resolved: boolean;
  run?: SyncRunResult;
  message: string;
}

/** Coupled Data Synchronization Errors and their actions (domain.md §5). Every action re-checks state. */
export interface ErrorActions {
  list(filter?: ErrorFilter & { limit?: number }): Promise<SyncError[]>;
  /** Clears Skipped and synchronizes the record with the mapping's normal rules. */
  retry(actor: Actor, id: string): Promise<ErrorActionResult>;
  /** Retry for every open error of a mapping, as one job (applies the mapping's resolution strategies). */
  retryAll(actor: Actor, mappingName: string, options?: RunOptions): Promise<SyncRunResult>;
  /** Synchronize choosing which side wins. */
  synchronize(actor: Actor, id: string, winner: 'bc' | 'dv'): Promise<ErrorActionResult>;
  deleteCoupling(actor: Actor, id: string): Promise<ErrorActionResult>;
  /** Recreates the deleted partner and couples it again. */
  restoreRecords(actor: Actor, id: string): Promise<ErrorActionResult>;
  /** Deletes the record left behind when its partner was deleted, and the coupling (managers only). */
  deleteRecords(actor: Actor, id: string): Promise<ErrorActionResult>;
}

const when = (d: Date | null): string =>
  d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : 'an unknown time';

/** Why an action on this error is refused now: resolved by someone (who, when), or being acted on. */
export const staleErrorRefusal = (e: SyncError): DomainError =>
  e.status === 'resolved'
    ? new DomainError(
        ErrorCode.StaleState,
        `This error was already resolved by ${e.resolvedBy ?? 'someone'} at ${when(e.resolvedAt)} (${e.resolution ?? 'resolved'}); nothing was changed.`,
      )
    : new DomainError(
        ErrorCode.StaleState,
        `${e.claimedBy ?? 'Someone'} is acting on this error since ${when(e.claimedAt)}; look again in a moment. Nothing was changed.`,
      );

export function createErrorActions(deps: SyncDeps): ErrorActions {
  const stale = staleErrorRefusal;

  /** Validate the id, re-check the error is open, claim it, act, release, audit. */
  async function act(
    actor: Actor,
    rawId: string,
    action: string,
    fn: (e: SyncError, m: IntegrationTableMapping) => Promise<Omit<ErrorActionResult, 'error' | 'resolved'>>,
  ): Promise<ErrorActionResult> {
    const id = errorId(rawId);
    const current = await deps.errors.get(id);
    if (!current)
      throw new DomainError(
        ErrorCode.NotFound,
        'There is no synchronization error with that id; it may have been cleaned up. Type `errors` to see the list.',
      );
    if (current.status !== 'open') throw stale(current);
    const claimed = await deps.errors.claim(id, actor.name);
    if (!claimed) throw stale((await deps.errors.get(id)) ?? current);
    try {
      const mapping = requireAvailable(deps, await deps.mappings.get(claimed.mapping));
      const out = await fn(claimed, mapping);
      await deps.audit.record({
        actor,
        action: `syncError.${action}`,
        mapping: mapping.name,
        subject: `${mapping.bcTable.toLowerCase()}:${claimed.bcNumber}`,
        details: { errorId: id, message: out.message },
      });
      const after = (await deps.errors.get(id)) as SyncError;
      return { ...out, error: after, resolved: after.status === 'resolved' };
    } finally {
      await deps.errors.release(id);
    }
  }

  async function couplingOf(e: SyncError): Promise<Coupling> {
    const c = await deps.couplings.getByBcId(e.mapping, e.bcId);
    if (c) return c;
    await deps.errors.resolveFor(e.mapping, [e.bcId], 'Coupling Assistant', 'The coupling no longer exists');
    throw new DomainError(
      ErrorCode.StaleState,
      `${e.bcNumber} is no longer coupled in mapping ${e.mapping}, so the error was closed. Nothing else was changed.`,
    );
  }

  async function syncOne(
    actor: Actor,
    m: IntegrationTableMapping,
    couplings: Coupling[],
    mode: PlanMode,
    direction: string,
    deletion?: DeletionConflictResolution,
    options: RunOptions = {},
  ): Promise<SyncRunResult> {
    await deps.couplings.setSyncStates(
      couplings.map((c) => ({ mapping: m.name, bcId: c.bcId, patch: { skipped: false } })),
    );
    const req = {
      ...options,
      actor,
      mapping: m,
      direction,
      mode,
      reportOutsideFilter: true,
      keepAllResults: true,
      ...(deletion ? { deletion } : {}),
    };
    return runAsJob(deps, req, (ctx) => runRecords(ctx, couplings));
  }

  const summary = (run: SyncRunResult): string => run.records[0]?.message ?? run.job.message;

  const requireDeletion = (e: SyncError, what: string): 'bc' | 'dv' => {
    if (e.kind !== 'deletion' || !e.missingSide) {
      throw new DomainError(
        ErrorCode.InvalidInput,
        `${what} applies to records whose partner was deleted; this error is a ${e.kind}. Nothing was changed.`,
      );
    }
    return e.missingSide;
  };

  return {
    list: (filter = {}) => deps.errors.listOpen(filter),

    retry: (actor, id) =>
      act(actor, id, 'retry', async (e, m) => {
        const run = await syncOne(actor, m, [await couplingOf(e)], { kind: 'auto', full: true }, m.direction);
        return { run, message: summary(run) };
      }),

    async retryAll(actor, mappingName, options = {}) {
      const m = requireAvailable(deps, await deps.mappings.get(mappingName));
      const open = await deps.errors.listOpen({ mapping: m.name, limit: 5000 });
      const couplings = await deps.couplings.getManyByBcIds(
        m.name,
        open.map((e) => e.bcId),
      );
      const gone = open.filter((e) => !couplings.some((c) => c.bcId === e.bcId)).map((e) => e.bcId);
      await deps.errors.resolveFor(m.name, gone, actor.name, 'The coupling no longer exists');
      return syncOne(actor, m, couplings, { kind: 'auto', full: true }, m.direction, undefined, options);
    },

    synchronize: (actor, id, winner) =>
      act(actor, id, 'synchronize', async (e, m) => {
        if (winner !== 'bc' && winner !== 'dv')
          throw new DomainError(
            ErrorCode.InvalidInput,
            'Choose which side wins: bc or dv. Nothing was changed.',
          );
        const option = winner === 'bc' ? 'ToIntegrationTable' : 'FromIntegrationTable';
        requireAllowed(m, option);
        const run = await syncOne(actor, m, [await couplingOf(e)], modeFor(option), option);
        return { run, message: summary(run) };
      }),

    deleteCoupling: (actor, id) =>
      act(actor, id, 'deleteCoupling', async (e, m) => {
        await deps.couplings.deleteByBcId(m.name, e.bcId);
        await deps.errors.resolveFor(m.name, [e.bcId], actor.name, 'Coupling deleted');
        return { message: `The coupling of ${m.bcTable} ${e.bcNumber} was deleted.` };
      }),

    restoreRecords: (actor, id) =>
      act(actor, id, 'restoreRecords', async (e, m) => {
        requireDeletion(e, 'Restore Records');
        const run = await syncOne(
          actor,
          m,
          [await couplingOf(e)],
          { kind: 'auto', full: true },
          m.direction,
          'Restore Records',
        );
        return { run, message: summary(run) };
      }),

    deleteRecords: (actor, id) =>
      act(actor, id, 'deleteRecords', async (e, m) => {
        deps.roles.requireManager(actor, 'delete records');
        const missing = requireDeletion(e, 'Delete Records');
        const c = await couplingOf(e);
        const [bc, dv] = await Promise.all([
          deps.bc.getById(m.bcTable, c.bcId),
          deps.dv.get(m.dvTable, c.dvId),
        ]);
        if (bc && dv)
          throw new DomainError(
            ErrorCode.StaleState,
            `Both records exist again (the ${missing === 'dv' ? m.dvTable : m.bcTable} came back); nothing was deleted. Use Retry.`,
          );
        await deps.couplings.deleteByBcId(m.name, c.bcId);
        if (bc) await deps.bc.delete(m.bcTable, bc.id);
        if (dv) await deps.dv.delete(m.dvTable, dv.id);
        await deps.errors.resolveFor(m.name, [e.bcId], actor.name, 'Records deleted');
        const what = bc
          ? `${m.bcTable} ${c.bcNumber} was deleted in Business Central`
          : `The ${m.dvTable} ${c.dvId} was deleted in Dataverse`;
        return { message: `${what}, and its coupling removed.` };
      }),
  };
}
