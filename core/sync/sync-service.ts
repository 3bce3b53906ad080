import { DomainError, ErrorCode } from '../errors.js';
import { requireAvailable } from '../mappings/availability.js';
import type { Actor } from '../model/actor.js';
import type { Coupling } from '../model/coupling.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import { recommendChoice, type SyncChoice } from './choice.js';
import type { SyncDeps } from './deps.js';
import { runAsJob, type RunOptions } from './job-runner.js';
import { runRecords } from './mapping-run.js';
import { runWholeMapping } from './whole-mapping.js';
import type { RecordResult, SyncRunResult } from './outcome.js';
import { commitBatch } from './run-context.js';
import { modeFor, parseBcIds, parseDirection, requireAllowed } from './sync-input.js';

export {
  MAX_RECORDS_PER_REQUEST,
  OPTION_WORDS,
  modeFor,
  parseBcIds,
  parseDirection,
  requireAllowed,
} from './sync-input.js';
export type { SyncChoice } from './choice.js';

async function notCoupledResults(
  deps: SyncDeps,
  m: IntegrationTableMapping,
  ids: readonly string[],
): Promise<RecordResult[]> {
  const found = new Map((await deps.bc.getManyByIds(m.bcTable, ids)).map((r) => [r.id, r.number]));
  return ids.map((id) => {
    const number = found.get(id);
    const message =
      number === undefined
        ? `There is no ${m.bcTable} with id ${id} in Business Central.`
        : `${m.bcTable} ${number} is not coupled to a Dataverse ${m.dvTable}. Couple it first (\`couple ${m.bcTable.toLowerCase()} ${number}\`).`;
    return { bcId: id, bcNumber: number ?? '', dvId: null, outcome: 'Failed', changes: [], message };
  });
}

export interface SyncService {
  /** What the direction card offers for these records, with a recommendation from which side changed. */
  recommend(mappingName: string, bcIds: readonly string[]): Promise<SyncChoice>;
  /** Synchronize Now for one or many coupled records; uncoupled ones are reported per record. */
  synchronizeNow(
    actor: Actor,
    mappingName: string,
    bcIds: readonly string[],
    direction: string,
    options?: RunOptions,
  ): Promise<SyncRunResult>;
  /** Synchronize Modified Records of a whole mapping (from its high-water marks). */
  synchronizeModified(actor: Actor, mappingName: string, options?: RunOptions): Promise<SyncRunResult>;
  /** Full synchronization of a whole mapping. */
  synchronizeAll(actor: Actor, mappingName: string, options?: RunOptions): Promise<SyncRunResult>;
  /** At start-up: jobs left Running by a process that died become Interrupted. Returns how many. */
  recoverInterrupted(options?: { olderThan?: Date }): Promise<number>;
}

export function createSyncService(deps: SyncDeps): SyncService {
  async function wholeMapping(
    actor: Actor,
    name: string,
    full: boolean,
    options: RunOptions = {},
  ): Promise<SyncRunResult> {
    const mapping = requireAvailable(deps, await deps.mappings.get(name));
    // Full synchronization rewrites the whole table: a manager's decision, checked here in core.
    if (full) deps.roles.requireManager(actor, 'run a full synchronization of a table mapping');
    // One run per mapping across instances: a second one is refused with the running job.
    const lease = await deps.runLocks?.acquire(mapping.name, actor.name);
    try {
      return await runWholeMapping(
        deps,
        { ...options, ...(lease ? { lock: lease } : {}) },
        actor,
        mapping,
        full,
      );
    } finally {
      // A lock that cannot be deleted now expires by itself within a lease.
      await lease?.release().catch(() => undefined);
    }
  }

  return {
    recommend: (mappingName, bcIds) => recommendChoice(deps, mappingName, bcIds),

    async synchronizeNow(actor, mappingName, bcIds, direction, options = {}) {
      const option = parseDirection(direction);
      const ids = parseBcIds(bcIds);
      const mapping = requireAvailable(deps, await deps.mappings.get(mappingName));
      requireAllowed(mapping, option);
      const couplings: Coupling[] = await deps.couplings.getManyByBcIds(mapping.name, ids);
      const coupledIds = new Set(couplings.map((c) => c.bcId));
      const uncoupled = ids.filter((id) => !coupledIds.has(id));
      if (couplings.length === 0) {
        const [first] = await notCoupledResults(deps, mapping, uncoupled);
        throw new DomainError(
          ErrorCode.NotCoupled,
          `${ids.length === 1 ? first?.message : `None of these ${ids.length} records is coupled.`} Nothing was synchronized.`,
        );
      }
      const request = {
        ...options,
        actor,
        mapping,
        direction: option,
        mode: modeFor(option),
        reportOutsideFilter: true,
        keepAllResults: true,
      };
      const result = await runAsJob(deps, request, async (ctx) => {
        if (uncoupled.length > 0)
          await commitBatch(ctx, await notCoupledResults(deps, mapping, uncoupled), [], []);
        await runRecords(ctx, couplings);
      });
      const order = new Map(ids.map((id, i) => [id, i]));
      result.records.sort(
        (a, b) => (order.get(a.bcId ?? '') ?? Infinity) - (order.get(b.bcId ?? '') ?? Infinity),
      );
      return result;
    },

    synchronizeModified: (actor, name, options) => wholeMapping(actor, name, false, options),
    synchronizeAll: (actor, name, options) => wholeMapping(actor, name, true, options),
    recoverInterrupted: (options) => deps.jobs.markInterrupted(options),
  };
}
