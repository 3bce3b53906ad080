import { z } from 'zod';
import { DomainError, ErrorCode } from '../errors.js';
import type { Actor } from '../model/actor.js';
import type { Coupling } from '../model/coupling.js';
import { flowsToBusinessCentral, flowsToDataverse, type IntegrationTableMapping } from '../model/mapping.js';
import { recommend, type Recommendation, type SyncOption } from './change-detection.js';
import type { SyncDeps } from './deps.js';
import { runAsJob, type RunOptions } from './job-runner.js';
import { runAll, runModified, runRecords, type Marks } from './mapping-run.js';
import type { RecordResult, SyncRunResult } from './outcome.js';
import type { PlanMode } from './plan.js';
import { commitBatch } from './run-context.js';

export const MAX_RECORDS_PER_REQUEST = 5000;

/** BC's words for each Synchronize Now option (the direction card, result cards). */
export const OPTION_WORDS: Record<SyncOption, string> = {
  ToIntegrationTable: 'Send data update to Dataverse',
  FromIntegrationTable: 'Get data update from Dataverse',
  Bidirectional: 'Merge data',
};

const SyncDirection = z.enum(['ToIntegrationTable', 'FromIntegrationTable', 'Bidirectional']);

/** The Synchronize Now choice for one or many records (the direction card). */
export interface SyncChoice {
  mapping: string;
  options: SyncOption[];
  recommended: SyncOption | null;
  records: Array<{
    bcId: string;
    bcNumber: string;
    /** False when the record has no coupling in this mapping (nothing to synchronize). */
    coupled: boolean;
    recommendation?: Recommendation;
    problem?: string;
  }>;
}

export function parseDirection(value: unknown): SyncOption {
  const r = SyncDirection.safeParse(value);
  if (r.success) return r.data;
  const shown = typeof value === 'string' ? `"${value.slice(0, 40)}"` : 'that';
  const valid = Object.entries(OPTION_WORDS)
    .map(([k, w]) => `${k} (${w})`)
    .join(', ');
  throw new DomainError(
    ErrorCode.InvalidInput,
    `${shown} is not a synchronization direction; use ${valid}. Nothing was changed.`,
  );
}

export function parseBcIds(value: unknown): string[] {
  const r = z.array(z.string().min(1).max(100)).min(1).max(MAX_RECORDS_PER_REQUEST).safeParse(value);
  if (r.success) return [...new Set(r.data)];
  throw new DomainError(
    ErrorCode.InvalidInput,
    `Name 1 to ${MAX_RECORDS_PER_REQUEST} records to synchronize; nothing was changed.`,
  );
}

/** Refuses a direction the mapping does not allow, saying which ones it does. */
export function requireAllowed(mapping: IntegrationTableMapping, option: SyncOption): void {
  const ok =
    option === 'Bidirectional'
      ? mapping.direction === 'Bidirectional'
      : option === 'ToIntegrationTable'
        ? flowsToDataverse(mapping.direction)
        : flowsToBusinessCentral(mapping.direction);
  if (ok) return;
  const allowed = optionsOf(mapping)
    .map((o) => OPTION_WORDS[o])
    .join(' or ');
  throw new DomainError(
    ErrorCode.NotAllowedByMapping,
    `Mapping ${mapping.name} is ${mapping.direction}: choose ${allowed}. Nothing was changed.`,
  );
}

const optionsOf = (m: IntegrationTableMapping): SyncOption[] =>
  m.direction === 'Bidirectional'
    ? ['ToIntegrationTable', 'FromIntegrationTable', 'Bidirectional']
    : [m.direction];

export const modeFor = (option: SyncOption): PlanMode =>
  option === 'Bidirectional' ? { kind: 'auto', full: true } : { kind: 'forced', pass: option };

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
    const mapping = await deps.mappings.get(name);
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

  return {
    async recommend(mappingName, bcIds) {
      const mapping = await deps.mappings.get(mappingName);
      const ids = parseBcIds(bcIds);
      const couplings = new Map(
        (await deps.couplings.getManyByBcIds(mapping.name, ids)).map((c) => [c.bcId, c]),
      );
      const coupled = [...couplings.values()];
      const bcs = new Map(
        (
          await deps.bc.getManyByIds(
            mapping.bcTable,
            coupled.map((c) => c.bcId),
          )
        ).map((r) => [r.id, r]),
      );
      const dvs = new Map(
        (
          await deps.dv.getMany(
            mapping.dvTable,
            coupled.map((c) => c.dvId),
          )
        ).map((r) => [r.id, r]),
      );
      const records: SyncChoice['records'] = ids.map((id) => {
        const c = couplings.get(id);
        if (!c)
          return {
            bcId: id,
            bcNumber: '',
            coupled: false,
            problem: `This ${mapping.bcTable} is not coupled.`,
          };
        const bc = bcs.get(c.bcId);
        const dv = dvs.get(c.dvId);
        if (!bc || !dv)
          return {
            bcId: id,
            bcNumber: c.bcNumber,
            coupled: true,
            problem: bc
              ? `Its ${mapping.dvTable} was deleted in Dataverse.`
              : 'It was deleted in Business Central.',
          };
        return {
          bcId: id,
          bcNumber: c.bcNumber,
          coupled: true,
          recommendation: recommend(mapping, c, bc, dv),
        };
      });
      const recs = records.flatMap((r) => (r.recommendation ? [r.recommendation] : []));
      const options = optionsOf(mapping).filter((o) => recs.every((r) => r.options.includes(o)));
      const picks = new Set(recs.map((r) => r.recommended));
      const only = picks.size === 1 ? [...picks][0] : undefined;
      const recommended =
        only !== undefined
          ? only
          : picks.has(null)
            ? null
            : options.includes('Bidirectional')
              ? 'Bidirectional'
              : (options[0] ?? null);
      return { mapping: mapping.name, options, recommended, records };
    },

    async synchronizeNow(actor, mappingName, bcIds, direction, options = {}) {
      const option = parseDirection(direction);
      const ids = parseBcIds(bcIds);
      const mapping = await deps.mappings.get(mappingName);
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
