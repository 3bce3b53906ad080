import { DomainError, ErrorCode } from '../errors.js';
import { cancelledMessage, isJobCancelled, JobCancelled } from '../jobs/job-cancel.js';
import type { RunLease } from '../jobs/run-lock.js';
import type { Actor } from '../model/actor.js';
import { requireAvailable } from '../mappings/availability.js';
import type { Job } from '../model/job.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { BcTable } from '../model/tables.js';
import { newId } from '../ids.js';
import { recordCouplingJob } from './coupling-job.js';
import type { CouplingDeps } from './deps.js';
import { requireBcTable, requireNumber } from './inputs.js';
import { bcLabel, bcSubject } from './labels.js';
import { mappingByName, mappingForBcTable } from './mapping-lookup.js';

export const MAX_UNCOUPLE = 1000;

export interface UncoupleOutcome {
  number: string;
  outcome: 'uncoupled' | 'not-coupled' | 'not-found';
  /** The Dataverse row it was coupled to, when it was. */
  dvId: string | null;
  message: string;
  /** The Delete Coupling job (the same for every record of one request), when one can be undone. */
  jobId?: string;
}

/**
 * Delete Coupling for selected records (domain.md §5). Every number is checked before anything is
 * deleted; then each record gets its own outcome and audit entry. A coupling whose BC record was
 * deleted is still found by its number.
 */
export async function uncouple(
  deps: CouplingDeps,
  actor: Actor,
  bcTable: BcTable,
  numbers: readonly unknown[],
): Promise<UncoupleOutcome[]> {
  const table = requireBcTable(bcTable);
  if (!Array.isArray(numbers) || numbers.length === 0 || numbers.length > MAX_UNCOUPLE) {
    throw new DomainError(ErrorCode.InvalidInput, `Give 1 to ${MAX_UNCOUPLE} ${table} numbers to uncouple.`);
  }
  const wanted = [...new Set(numbers.map((n) => requireNumber(n, table)))];
  const m = requireAvailable(deps, await mappingForBcTable(deps.mappings, table));
  const outcomes: UncoupleOutcome[] = [];
  const jobId = newId();
  for (const number of wanted) {
    const record = await deps.bc.getByNumber(table, number);
    const label = record ? bcLabel(record) : `${table} ${number}`;
    const coupling = record
      ? await deps.couplings.getByBcId(m.name, record.id)
      : await deps.couplings.getByBcNumber(m.name, number);
    if (coupling) await deps.journal?.record(jobId, [{ kind: 'couplingRemoved', coupling }]);
    const deleted = coupling ? await deps.couplings.deleteByBcId(m.name, coupling.bcId) : null;
    if (!deleted) {
      outcomes.push(
        record || coupling
          ? { number, outcome: 'not-coupled', dvId: null, message: `${label} is not coupled.` }
          : {
              number,
              outcome: 'not-found',
              dvId: null,
              message: `There is no ${table} ${number} in Business Central.`,
            },
      );
      continue;
    }
    await deps.audit.record({
      actor,
      action: 'coupling.uncouple',
      mapping: m.name,
      subject: bcSubject(table, number),
      details: {
        dvTable: m.dvTable,
        dvId: deleted.dvId,
        coupledBy: deleted.coupledBy,
        coupledAt: deleted.coupledAt,
      },
    });
    outcomes.push({
      number,
      outcome: 'uncoupled',
      dvId: deleted.dvId,
      message: `${label} is no longer coupled to ${m.dvTable} ${deleted.dvId}.`,
    });
  }
  const uncoupled = outcomes.filter((o) => o.outcome === 'uncoupled').length;
  if (uncoupled === 0) return outcomes;
  const job = await recordCouplingJob(deps, actor, {
    id: jobId,
    mapping: m.name,
    type: 'Uncoupling',
    counters: { uncoupled },
    message: `Delete Coupling: ${uncoupled} ${table} record${uncoupled === 1 ? '' : 's'} uncoupled.`,
  });
  return job ? outcomes.map((o) => ({ ...o, jobId: job })) : outcomes;
}

export interface UncoupleAllOptions {
  /** Called once the job exists, its total set (the bot answers with a running card carrying its id). */
  onStarted?: (job: Job) => void;
}

/**
 * Delete Couplings for a whole mapping: manager only, run as a job of Type Uncoupling whose Uncoupled
 * counter grows chunk by chunk towards its total (the couplings there were). Returns the finished job.
 */
export async function uncoupleAll(
  deps: CouplingDeps,
  actor: Actor,
  mappingName: unknown,
  options: UncoupleAllOptions = {},
): Promise<Job> {
  deps.roles.requireManager(actor, 'delete all couplings of a table mapping');
  const m = requireAvailable(deps, await mappingByName(deps.mappings, mappingName));
  // RunInProgressError, before any job exists, when a synchronization or another Delete Couplings runs.
  const lease = await deps.runLocks?.acquire(m.name, actor.name || actor.id);
  try {
    return await deleteCouplingsAsJob(deps, actor, m, options, lease);
  } finally {
    await lease?.release();
  }
}

async function deleteCouplingsAsJob(
  deps: CouplingDeps,
  actor: Actor,
  m: IntegrationTableMapping,
  options: UncoupleAllOptions,
  lease: RunLease | undefined,
): Promise<Job> {
  const jobId = await deps.jobs.start({
    mapping: m.name,
    type: 'Uncoupling',
    direction: '',
    startedBy: actor.name || actor.id,
    startedById: actor.id,
  });
  let total = 0;
  try {
    await lease?.attach(jobId);
    await deps.jobs.setTotal(jobId, await deps.couplings.count(m.name));
    const started = await deps.jobs.get(jobId);
    if (started) options.onStarted?.(started);
    await deps.couplings.deleteAllForMapping(m.name, {
      ...(deps.batchSize ? { chunkSize: deps.batchSize } : {}),
      // Each chunk is journalled whole before it is deleted: an undo restores the couplings as they were.
      beforeDelete: async (couplings) =>
        deps.journal?.record(
          jobId,
          couplings.map((coupling) => ({ kind: 'couplingRemoved', coupling })),
        ),
      onChunk: async (n) => {
        total += n;
        const still = await deps.jobs.progress(jobId, { uncoupled: n });
        // This chunk is deleted and counted; a cancel stops before the next one.
        if (still.running && still.cancelRequest) throw new JobCancelled(still.cancelRequest);
      },
    });
    await deps.jobs.finish(jobId, 'Finished', `${total} couplings of table mapping ${m.name} were deleted.`);
  } catch (e) {
    if (isJobCancelled(e)) {
      const kept = `${total} couplings of table mapping ${m.name} were deleted before it stopped; the others stay.`;
      await deps.jobs.finish(jobId, 'Cancelled', cancelledMessage(e.request, kept));
      return (await deps.jobs.get(jobId)) as Job;
    }
    await deps.jobs.finish(
      jobId,
      'Failed',
      `Stopped after deleting ${total} couplings: ${(e as Error).message}`,
    );
    throw e;
  } finally {
    await deps.audit.record({
      actor,
      action: 'coupling.uncouple-all',
      mapping: m.name,
      subject: `mapping:${m.name}`,
      details: { jobId, uncoupled: total },
    });
  }
  const job = await deps.jobs.get(jobId);
  if (!job) throw new DomainError(ErrorCode.NotFound, `The uncoupling job ${jobId} disappeared.`);
  return job;
}
