import type { Coupling } from '../model/coupling.js';
import type { Fields } from '../model/record.js';
import type { JournalEntry } from '../undo/journal.js';
import type { RunContext } from './run-context.js';

/**
 * A run's changes in its job's undo journal, each recorded before the write it describes (a crash
 * in between leaves an entry for a change that did not happen, which undo then finds nothing to reverse).
 */
const journalOf = (ctx: RunContext) => ctx.deps.journal;

export interface FieldWrite {
  coupling: Coupling;
  /** The record as the run read it: the values the write replaces. */
  before: { id: string; fields: Fields };
  fields: Fields;
  number: string;
}

const labelOf = (ctx: RunContext, side: 'bc' | 'dv', id: string, number: string): string =>
  side === 'bc'
    ? `${ctx.mapping.bcTable} ${number} in Business Central`
    : `${ctx.mapping.dvTable} ${id} in Dataverse (${ctx.mapping.bcTable} ${number})`;

/** Field updates of one side, with the coupling's synchronization state they come with. */
export async function journalFieldWrites(
  ctx: RunContext,
  side: 'bc' | 'dv',
  writes: readonly FieldWrite[],
): Promise<void> {
  const journal = journalOf(ctx);
  if (!journal || writes.length === 0) return;
  const table = side === 'bc' ? ctx.mapping.bcTable : ctx.mapping.dvTable;
  const entries = writes.map((w): JournalEntry => {
    const c = w.coupling;
    return {
      kind: 'fieldsOverwritten',
      system: side,
      table,
      id: w.before.id,
      label: labelOf(ctx, side, w.before.id, w.number),
      fields: Object.entries(w.fields).map(([field, written]) => ({
        field,
        before: w.before.fields[field] ?? null,
        written,
      })),
      // One entry per record: the fields and the coupling state the write replaces, undone together.
      syncState: {
        mapping: c.mapping,
        bcId: c.bcId,
        before: {
          lastSyncedBcModifiedOn: c.lastSyncedBcModifiedOn,
          lastSyncedDvModifiedOn: c.lastSyncedDvModifiedOn,
          lastSyncResultBc: c.lastSyncResultBc,
          lastSyncResultDv: c.lastSyncResultDv,
          lastJobId: c.lastJobId,
          skipped: c.skipped,
          ...(c.lastSyncedValues ? { lastSyncedValues: c.lastSyncedValues } : {}),
        },
      },
    };
  });
  await journal.record(ctx.jobId, entries);
}

/** Rows a run creates: toward Dataverse their ids are reserved, so they are journalled before. */
export async function journalCreates(
  ctx: RunContext,
  side: 'bc' | 'dv',
  rows: ReadonlyArray<{ id: string; number: string; modifiedOn?: Date }>,
): Promise<void> {
  const journal = journalOf(ctx);
  if (!journal || rows.length === 0) return;
  const table = side === 'bc' ? ctx.mapping.bcTable : ctx.mapping.dvTable;
  await journal.record(
    ctx.jobId,
    rows.map((r) => ({
      kind: 'rowCreated',
      system: side,
      table,
      id: r.id,
      modifiedOn: r.modifiedOn ?? null,
      label: `${labelOf(ctx, side, r.id, r.number)}, created by the job`,
    })),
  );
}

export async function journalCreated(
  ctx: RunContext,
  side: 'bc' | 'dv',
  rows: ReadonlyArray<{ id: string; modifiedOn: Date }>,
): Promise<void> {
  await journalOf(ctx)?.created(ctx.jobId, side, rows);
}

export async function journalCoupled(
  ctx: RunContext,
  couplings: ReadonlyArray<Pick<Coupling, 'mapping' | 'bcId' | 'bcNumber' | 'dvId'>>,
): Promise<void> {
  await journalOf(ctx)?.record(
    ctx.jobId,
    couplings.map((c) => ({
      kind: 'couplingAdded',
      mapping: c.mapping,
      bcId: c.bcId,
      bcNumber: c.bcNumber,
      dvId: c.dvId,
    })),
  );
}

export async function journalUncoupled(ctx: RunContext, couplings: readonly Coupling[]): Promise<void> {
  await journalOf(ctx)?.record(
    ctx.jobId,
    couplings.map((coupling) => ({ kind: 'couplingRemoved', coupling })),
  );
}
