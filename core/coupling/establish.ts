import { DomainError, ErrorCode } from '../errors.js';
import type { Actor } from '../model/actor.js';
import type { Coupling } from '../model/coupling.js';
import { passesFilter } from '../model/filter.js';
import {
  flowsToBusinessCentral,
  flowsToDataverse,
  type Direction,
  type IntegrationTableMapping,
  type SyncAfterCoupling,
} from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import { newId } from '../ids.js';
import { recordCouplingJob } from './coupling-job.js';
import type { CouplingDeps } from './deps.js';
import { snapshotOf } from '../sync/change-detection.js';
import { bcLabel, bcSubject, dvLabel, dvName, filterRefusal } from './labels.js';

/** Outcome of a coupling request: the coupling, and whether it existed already (nothing changed). */
export interface CoupleResult {
  mapping: string;
  coupling: Coupling;
  bc: BcRecord;
  /** The partner row; null only when an existing coupling points at a row deleted meanwhile. */
  dv: DvRow | null;
  alreadyCoupled: boolean;
  /** The request, for the synchronization helper to act on ('No' = nothing to do). */
  syncAfterCoupling: SyncAfterCoupling;
  /** A record created for this coupling (Create New, or from the Dataverse side). */
  created: 'dv' | 'bc' | null;
  message: string;
  /** The job that made the coupling (its Undo button), when it was made now and can be undone. */
  jobId?: string;
}

export type Origin = 'manual' | 'create-new' | 'dataverse';

/** Synchronize After Coupling can only go where the mapping lets data flow. */
export function syncAfterCouplingAllowed(direction: Direction, choice: SyncAfterCoupling): boolean {
  if (choice === 'Yes - Use the Business Central data') return flowsToDataverse(direction);
  if (choice === 'Yes - Use the Dataverse data') return flowsToBusinessCentral(direction);
  return true;
}

export function checkSyncAfterCoupling(m: IntegrationTableMapping, choice: SyncAfterCoupling): void {
  if (!syncAfterCouplingAllowed(m.direction, choice)) {
    throw new DomainError(
      ErrorCode.NotAllowedByMapping,
      `Synchronize After Coupling "${choice}" is not possible: table mapping ${m.name} has direction ` +
        `${m.direction}. Choose another option, or ask a manager to change the mapping's direction.`,
    );
  }
}

export function checkFilters(m: IntegrationTableMapping, bc: BcRecord, dv: DvRow): void {
  if (!passesFilter(bc.fields, m.tableFilter)) throw filterRefusal(m, bc, 'bc', bc.fields);
  if (!passesFilter(dv.fields, m.integrationTableFilter)) throw filterRefusal(m, bc, 'dv', dv.fields);
}

/**
 * The current coupling state of the pair: an "already coupled" result when exactly this pair is
 * coupled, a refusal naming the partner when either side is coupled elsewhere, null when both are free.
 */
async function existingState(
  deps: CouplingDeps,
  m: IntegrationTableMapping,
  bc: BcRecord,
  dv: DvRow,
  choice: SyncAfterCoupling,
): Promise<CoupleResult | null> {
  const byBc = await deps.couplings.getByBcId(m.name, bc.id);
  if (byBc && byBc.dvId === dv.id) return alreadyCoupledResult(m, byBc, bc, dv, choice);
  if (byBc) {
    const partner = await deps.dv.get(m.dvTable, byBc.dvId);
    const named = partner ? dvLabel(partner) : `a ${m.dvTable} that no longer exists (${byBc.dvId})`;
    throw new DomainError(
      ErrorCode.AlreadyCoupled,
      `${bcLabel(bc)} is already coupled to ${named}. Delete Coupling first ` +
        `(uncouple ${bc.table.toLowerCase()} ${bc.number}), then couple it again.`,
    );
  }
  const byDv = await deps.couplings.getByDvId(m.name, dv.id);
  if (byDv) {
    const partner = await deps.bc.getById(m.bcTable, byDv.bcId);
    const named = partner ? bcLabel(partner) : `${m.bcTable} ${byDv.bcNumber}`;
    throw new DomainError(
      ErrorCode.AlreadyCoupled,
      `Cannot couple ${bcLabel(bc)} to this ${m.dvTable}, because the ${m.dvTable} is already coupled to ${named}.`,
    );
  }
  return null;
}

/** The state of a BC record's coupling, as "already coupled" when it has one (double clicks). */
export async function currentCouplingOf(
  deps: CouplingDeps,
  m: IntegrationTableMapping,
  bc: BcRecord,
  choice: SyncAfterCoupling,
): Promise<CoupleResult | null> {
  const coupling = await deps.couplings.getByBcId(m.name, bc.id);
  if (!coupling) return null;
  return alreadyCoupledResult(m, coupling, bc, await deps.dv.get(m.dvTable, coupling.dvId), choice);
}

/** The answer to a request that finds its pair coupled already: success, nothing changed. */
function alreadyCoupledResult(
  m: IntegrationTableMapping,
  coupling: Coupling,
  bc: BcRecord,
  dv: DvRow | null,
  choice: SyncAfterCoupling,
): CoupleResult {
  const partner = dv ? dvLabel(dv) : `${m.dvTable} ${coupling.dvId}`;
  return {
    mapping: m.name,
    coupling,
    bc,
    dv,
    alreadyCoupled: true,
    syncAfterCoupling: choice,
    created: null,
    message: `${bcLabel(bc)} is already coupled to ${partner}; nothing was changed.`,
  };
}

/**
 * Couples a BC record and a Dataverse row after BC's checks (filters, one-to-one). The unique indexes
 * decide between simultaneous requests: the loser re-reads the state and gets the same refusal (or
 * "already coupled" when the winner coupled the same pair). One audit entry per coupling made.
 */
export async function establishCoupling(
  deps: CouplingDeps,
  actor: Actor,
  m: IntegrationTableMapping,
  bc: BcRecord,
  dv: DvRow,
  options: { origin: Origin; syncAfterCoupling: SyncAfterCoupling; created?: 'dv' | 'bc'; jobId?: string },
): Promise<CoupleResult> {
  checkFilters(m, bc, dv);
  const choice = options.syncAfterCoupling;
  const before = await existingState(deps, m, bc, dv, choice);
  if (before) return before;
  const jobId = options.jobId ?? newId();
  await deps.journal?.record(jobId, [
    { kind: 'couplingAdded', mapping: m.name, bcId: bc.id, bcNumber: bc.number, dvId: dv.id },
  ]);
  const coupling: Coupling = {
    mapping: m.name,
    bcId: bc.id,
    bcNumber: bc.number,
    dvId: dv.id,
    lastSyncedBcModifiedOn: null,
    lastSyncedDvModifiedOn: null,
    lastSyncResultBc: null,
    lastSyncResultDv: null,
    lastJobId: null,
    skipped: false,
    coupledAt: deps.clock.now(),
    coupledBy: actor.name || actor.id,
    origin: options.origin,
    // The values at coupling time are the baseline: a field edited afterwards on one side only is a
    // change of that side, not "changed on both sides" merely because the pair was never synchronized.
    lastSyncedValues: snapshotOf(m.fields, bc.fields, dv.fields),
  };
  if (!(await deps.couplings.insert(coupling))) {
    const after = await existingState(deps, m, bc, dv, choice);
    if (after) return after;
    throw new DomainError(
      ErrorCode.StaleState,
      'The coupling changed at the same moment; nothing was changed. Try again.',
    );
  }
  try {
    await deps.audit.record({
      actor,
      action: 'coupling.couple',
      mapping: m.name,
      subject: bcSubject(bc.table, bc.number),
      details: {
        dvTable: m.dvTable,
        dvId: dv.id,
        dvName: dvName(dv),
        origin: options.origin,
        syncAfterCoupling: choice,
      },
    });
  } catch (e) {
    // Every change is audited: without its entry the coupling is taken back.
    await deps.couplings.deleteByBcId(m.name, bc.id);
    throw e;
  }
  const message = `${bcLabel(bc)} is now coupled to ${dvLabel(dv)}.`;
  const job = await recordCouplingJob(deps, actor, {
    id: jobId,
    mapping: m.name,
    type: 'Coupling',
    counters: { coupled: 1, ...(options.created ? { inserted: 1 } : {}) },
    message,
  });
  return {
    mapping: m.name,
    coupling,
    bc,
    dv,
    alreadyCoupled: false,
    syncAfterCoupling: choice,
    created: options.created ?? null,
    message,
    ...(job ? { jobId: job } : {}),
  };
}
