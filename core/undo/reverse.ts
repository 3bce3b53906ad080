import type { CouplingRepository } from '../coupling/coupling-repository.js';
import type { JobCounters } from '../model/job.js';
import type { FieldValue, Fields } from '../model/record.js';
import { BcTable, DvTable } from '../model/tables.js';
import type { BusinessCentralPort } from '../ports/business-central.js';
import type { DataversePort } from '../ports/dataverse.js';
import { sameValue } from '../sync/values.js';
import type { JournalEntry, JournalSystem, OverwrittenField, UndoJournal } from './journal.js';

/** What reversing needs: the current state of both systems and the couplings, and the undo's own journal. */
export interface ReverseDeps {
  bc: BusinessCentralPort;
  dv: DataversePort;
  couplings: Pick<CouplingRepository, 'getByBcId' | 'insert' | 'deleteIfPair' | 'setSyncState'>;
  journal: UndoJournal;
}

/** One entry's outcome: undone (and counted), or left as it is with the reason; `partly`: some of each. */
export interface Reversal {
  undone: boolean;
  line: string;
  counter: keyof JobCounters;
  partly?: boolean;
}

const done = (line: string, counter: keyof JobCounters): Reversal => ({ undone: true, line, counter });
const left = (line: string): Reversal => ({ undone: false, line, counter: 'skipped' });
const show = (v: FieldValue | undefined): string =>
  v === null || v === undefined || v === '' ? '(blank)' : String(v);

interface Row {
  id: string;
  fields: Fields;
  modifiedOn: Date;
  etag?: string;
}

async function readRow(
  deps: ReverseDeps,
  system: JournalSystem,
  table: string,
  id: string,
): Promise<Row | null> {
  if (system === 'bc') return deps.bc.getById(BcTable.parse(table), id);
  return deps.dv.get(DvTable.parse(table), id);
}

async function writeRow(deps: ReverseDeps, system: JournalSystem, table: string, row: Row, fields: Fields) {
  if (system === 'bc') await deps.bc.update(BcTable.parse(table), row.id, fields, row.etag);
  else await deps.dv.update(DvTable.parse(table), row.id, fields, row.etag);
}

async function deleteRow(deps: ReverseDeps, system: JournalSystem, table: string, id: string) {
  if (system === 'bc') await deps.bc.delete(BcTable.parse(table), id);
  else await deps.dv.delete(DvTable.parse(table), id);
}

type Entry<K extends JournalEntry['kind']> = Extract<JournalEntry, { kind: K }>;

async function removeAddedCoupling(deps: ReverseDeps, undoJobId: string, e: Entry<'couplingAdded'>) {
  const subject = `${e.mapping} ${e.bcNumber || e.bcId}`;
  const now = await deps.couplings.getByBcId(e.mapping, e.bcId);
  if (!now) return left(`${subject}: not uncoupled, it is no longer coupled.`);
  if (now.dvId !== e.dvId)
    return left(`${subject}: left as it is, it is now coupled to another row (${now.dvId}).`);
  await deps.journal.record(undoJobId, [{ kind: 'couplingRemoved', coupling: now }]);
  const deleted = await deps.couplings.deleteIfPair(e.mapping, e.bcId, e.dvId);
  return deleted ? done(`${subject}: uncoupled.`, 'uncoupled') : left(`${subject}: changed meanwhile; left.`);
}

async function restoreRemovedCoupling(deps: ReverseDeps, undoJobId: string, e: Entry<'couplingRemoved'>) {
  const c = e.coupling;
  const subject = `${c.mapping} ${c.bcNumber}`;
  await deps.journal.record(undoJobId, [
    { kind: 'couplingAdded', mapping: c.mapping, bcId: c.bcId, bcNumber: c.bcNumber, dvId: c.dvId },
  ]);
  if (await deps.couplings.insert(c)) return done(`${subject}: coupled again to ${c.dvId}.`, 'coupled');
  const now = await deps.couplings.getByBcId(c.mapping, c.bcId);
  if (now?.dvId === c.dvId) return left(`${subject}: already coupled to ${c.dvId} again.`);
  return left(
    now
      ? `${subject}: not coupled again, it is now coupled to another row (${now.dvId}).`
      : `${subject}: not coupled again, ${c.dvId} is now coupled to another record.`,
  );
}

async function deleteCreatedRow(deps: ReverseDeps, undoJobId: string, e: Entry<'rowCreated'>) {
  const row = await readRow(deps, e.system, e.table, e.id);
  if (!row) return left(`${e.label}: not deleted, it no longer exists.`);
  if (e.modifiedOn && row.modifiedOn.getTime() > e.modifiedOn.getTime())
    return left(`${e.label}: not deleted, it was changed after the job created it.`);
  await deps.journal.record(undoJobId, [
    { kind: 'rowDeleted', system: e.system, table: e.table, id: e.id, label: e.label, values: row.fields },
  ]);
  await deleteRow(deps, e.system, e.table, e.id);
  return done(`${e.label}: deleted.`, 'deleted');
}

async function restoreFields(deps: ReverseDeps, undoJobId: string, e: Entry<'fieldsOverwritten'>) {
  const row = await readRow(deps, e.system, e.table, e.id);
  if (!row) return left(`${e.label}: fields not restored, it no longer exists.`);
  const restore: OverwrittenField[] = [];
  const changed: string[] = [];
  for (const f of e.fields) {
    if (sameValue(row.fields[f.field], f.written)) restore.push(f);
    else changed.push(`${f.field} (now ${show(row.fields[f.field])})`);
  }
  const lines: string[] = [];
  if (restore.length > 0) {
    await deps.journal.record(undoJobId, [
      {
        kind: 'fieldsOverwritten',
        system: e.system,
        table: e.table,
        id: e.id,
        label: e.label,
        fields: restore.map((f) => ({ field: f.field, before: f.written, written: f.before })),
      },
    ]);
    await writeRow(deps, e.system, e.table, row, Object.fromEntries(restore.map((f) => [f.field, f.before])));
    lines.push(`restored ${restore.map((f) => `${f.field} = ${show(f.before)}`).join(', ')}`);
  }
  if (changed.length > 0) lines.push(`not restored, changed since the job: ${changed.join(', ')}`);
  const line = `${e.label}: ${lines.join('; ')}.`;
  if (restore.length === 0) return left(line);
  return { ...done(line, 'modified'), ...(changed.length > 0 ? { partly: true } : {}) };
}

async function restoreSyncState(deps: ReverseDeps, undoJobId: string, jobId: string, e: Entry<'syncState'>) {
  const now = await deps.couplings.getByBcId(e.mapping, e.bcId);
  // Only while the coupling still holds what this job wrote: a later run's state is left alone.
  if (!now || now.lastJobId !== jobId) return null;
  const { lastSyncedValues, ...rest } = now;
  await deps.journal.record(undoJobId, [
    {
      kind: 'syncState',
      mapping: e.mapping,
      bcId: e.bcId,
      before: {
        lastSyncedBcModifiedOn: rest.lastSyncedBcModifiedOn,
        lastSyncedDvModifiedOn: rest.lastSyncedDvModifiedOn,
        lastSyncResultBc: rest.lastSyncResultBc,
        lastSyncResultDv: rest.lastSyncResultDv,
        lastJobId: rest.lastJobId,
        skipped: rest.skipped,
        ...(lastSyncedValues ? { lastSyncedValues } : {}),
      },
    },
  ]);
  // Stamped with the undo job: the state now holds what the undo wrote, so the undo's undo restores it.
  await deps.couplings.setSyncState(e.mapping, e.bcId, { ...e.before, lastJobId: undoJobId });
  return null;
}

/**
 * Reverses one journal entry of job `jobId` if what it changed still holds what the job wrote, and
 * records the reverse in the undo job's journal first (so the undo can be undone). Null: nothing to say.
 */
export async function reverse(
  deps: ReverseDeps,
  undoJobId: string,
  jobId: string,
  e: JournalEntry,
): Promise<Reversal | null> {
  switch (e.kind) {
    case 'couplingAdded':
      return removeAddedCoupling(deps, undoJobId, e);
    case 'couplingRemoved':
      return restoreRemovedCoupling(deps, undoJobId, e);
    case 'rowCreated':
      return deleteCreatedRow(deps, undoJobId, e);
    case 'fieldsOverwritten': {
      const r = await restoreFields(deps, undoJobId, e);
      if (e.syncState) await restoreSyncState(deps, undoJobId, jobId, { kind: 'syncState', ...e.syncState });
      return r;
    }
    case 'syncState':
      return restoreSyncState(deps, undoJobId, jobId, e);
    case 'rowDeleted':
      return left(`${e.label}: not recreated; a deleted row cannot be brought back with its id.`);
  }
}
