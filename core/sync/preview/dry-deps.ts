import { noJournal } from '../../undo/journal.js';
import type { SyncDeps } from '../deps.js';
import { dryJobs } from './dry-jobs.js';
import { dryBusinessCentral } from './dry-bc.js';
import { dryCouplings } from './dry-couplings.js';
import { dryDataverse } from './dry-dv.js';
import { dryWrites, type DryWrites } from './dry-ports.js';
import { guarded, sealed } from './guard.js';
import { RecentStamps } from './stamps.js';

/** What a dry run leaves behind instead of writes: the records it would create, and the stamps it read. */
export interface DryRun {
  deps: SyncDeps;
  writes: DryWrites;
  stamps: RecentStamps;
}

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
