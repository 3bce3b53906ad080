import type { Coupling } from '../../model/coupling.js';
import { noJournal } from '../../undo/journal.js';
import type { SyncDeps } from '../deps.js';
import { dryJobs } from './dry-jobs.js';
import { dryBusinessCentral, dryDataverse, dryWrites, type DryWrites } from './dry-ports.js';
import { guarded, sealed } from './guard.js';
import { RecentStamps } from './stamps.js';

/** What a dry run leaves behind instead of writes: the records it would create, and the stamps it read. */
export interface DryRun {
  deps: SyncDeps;
  writes: DryWrites;
  stamps: RecentStamps;
}

type Couplings = SyncDeps['couplings'];
const KNOWN = new Set<keyof SyncDeps>([
  'bc',
  'dv',
  'mappings',
  'couplings',
  'jobs',
  'runLocks',
  'errors',
  'audit',
  'roles',
  'clock',
  'logger',
  'batchSize',
  'journal',
]);

/**
 * Couplings as the run would leave them, without leaving them: reads are real, seen through what the
 * run itself coupled and uncoupled so far (a record coupled earlier in the run is not offered again),
 * and writes answer as if done.
 */
function dryCouplings(real: Couplings): Couplings {
  const added = { bc: new Map<string, Coupling>(), dv: new Map<string, Coupling>() };
  const removed = new Set<string>();
  const visible = (cs: readonly Coupling[]) => cs.filter((c) => !removed.has(c.bcId));
  const many = async (side: 'bc' | 'dv', mapping: string, ids: readonly string[]) => {
    const found = visible(
      side === 'bc' ? await real.getManyByBcIds(mapping, ids) : await real.getManyByDvIds(mapping, ids),
    );
    const have = new Set(found.map((c) => c.bcId));
    const mine = ids
      .flatMap((id) => added[side].get(id) ?? [])
      .filter((c) => c.mapping === mapping && !have.has(c.bcId));
    return [...found, ...mine];
  };
  async function* pages<T>(
    real: AsyncIterable<T[]>,
    keep: (t: T) => boolean,
    extra: T[],
  ): AsyncIterable<T[]> {
    for await (const page of real) yield page.filter(keep);
    if (extra.length > 0) yield extra;
  }
  const ownOf = (mapping: string) => [...added.bc.values()].filter((c) => c.mapping === mapping);
  return guarded<Couplings>('couplings', real, [], {
    getByBcId: async (mapping, bcId) => (await many('bc', mapping, [bcId]))[0] ?? null,
    getByBcNumber: async (mapping, number) => {
      const c = await real.getByBcNumber(mapping, number);
      if (c && !removed.has(c.bcId)) return c;
      return ownOf(mapping).find((o) => o.bcNumber === number) ?? null;
    },
    getManyByBcIds: (mapping, ids) => many('bc', mapping, ids),
    getManyByDvIds: (mapping, ids) => many('dv', mapping, ids),
    count: async (mapping) => (await real.count(mapping)) + ownOf(mapping).length - removed.size,
    list: (mapping, options) =>
      pages(real.list(mapping, options), (c) => !removed.has(c.bcId), ownOf(mapping)),
    bcIds: (mapping, options) =>
      pages(
        (async function* () {
          for await (const ids of real.bcIds(mapping, options)) yield ids;
        })(),
        (id: string) => !removed.has(id),
        ownOf(mapping).map((c) => c.bcId),
      ),
    insert: async (c) => {
      // The unique keys hold within the preview too: a record is coupled once.
      if ((await many('bc', c.mapping, [c.bcId])).length > 0) return false;
      if ((await many('dv', c.mapping, [c.dvId])).length > 0) return false;
      added.bc.set(c.bcId, c);
      added.dv.set(c.dvId, c);
      return true;
    },
    deleteByBcId: async (mapping, bcId) => {
      const [c] = await many('bc', mapping, [bcId]);
      if (!c) return null;
      if (added.bc.delete(bcId)) added.dv.delete(c.dvId);
      else removed.add(bcId);
      return c;
    },
    setSyncStates: async (states) => states.length,
    reserveCreate: async (_m, _b, dvId) => dvId,
    releaseCreate: async () => undefined,
  });
}

/**
 * The deps of a real run, made dry: the engine runs unchanged on them and writes nothing to Business
 * Central, Dataverse or the store (couplings, errors, jobs, high-water marks, audit, run locks). A
 * dependency added later is sealed: the preview stops on its first call rather than write through it.
 */
export function dryRun(deps: SyncDeps, cutoff: Date): DryRun {
  const writes = dryWrites();
  const stamps = new RecentStamps(cutoff);
  const { clock } = deps;
  const dry: SyncDeps = {
    bc: dryBusinessCentral(deps.bc, clock, stamps, writes),
    dv: dryDataverse(deps.dv, clock, stamps, writes),
    mappings: guarded('mappings', deps.mappings, ['get', 'list'], {
      advanceHighWaterMarks: async () => undefined,
    }),
    couplings: dryCouplings(deps.couplings),
    jobs: dryJobs(clock),
    errors: guarded('errors', deps.errors, ['get', 'getOpenFor', 'listOpen', 'listWaiting', 'countOpen'], {
      recordMany: async (inputs) => inputs.length,
      resolveFor: async () => 0,
    }),
    // Whole-mapping runs record no audit entry; should one ever, the preview stops instead.
    audit: sealed('audit', deps.audit),
    roles: deps.roles,
    clock,
    // A preview changes nothing, so there is nothing to undo: its journal keeps nothing.
    journal: noJournal,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
  };
  for (const [key, value] of Object.entries(deps)) {
    if (KNOWN.has(key as keyof SyncDeps) || value === undefined) continue;
    (dry as unknown as Record<string, unknown>)[key] =
      typeof value === 'object' && value !== null ? sealed(key, value) : value;
  }
  return { deps: dry, writes, stamps };
}
