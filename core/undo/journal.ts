import { z } from 'zod';
import { Coupling } from '../model/coupling.js';
import { FieldValue, Fields } from '../model/record.js';

/** Which system a journalled row lives in. */
export const JournalSystem = z.enum(['bc', 'dv']);
export type JournalSystem = z.infer<typeof JournalSystem>;

/** One field a job wrote: the value it found, and the value it wrote. */
export const OverwrittenField = z.object({ field: z.string(), before: FieldValue, written: FieldValue });
export type OverwrittenField = z.infer<typeof OverwrittenField>;

/** The coupling's synchronization state before a job changed it (a sync writes it with the fields). */
export const SyncStateBefore = Coupling.pick({
  lastSyncedBcModifiedOn: true,
  lastSyncedDvModifiedOn: true,
  lastSyncResultBc: true,
  lastSyncResultDv: true,
  lastJobId: true,
  skipped: true,
  lastSyncedValues: true,
});
export type SyncStateBefore = z.infer<typeof SyncStateBefore>;

/**
 * What a job changed, written before the change takes effect so that a crash cannot leave a change
 * nobody recorded. Undo reads these back, newest first, and reverses what still holds what the job wrote.
 */
export const JournalEntry = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('couplingAdded'),
    mapping: z.string(),
    bcId: z.string(),
    bcNumber: z.string(),
    dvId: z.string(),
  }),
  z.object({ kind: z.literal('couplingRemoved'), coupling: Coupling }),
  z.object({
    kind: z.literal('rowCreated'),
    system: JournalSystem,
    table: z.string(),
    id: z.string(),
    /** The row's modified time right after the job created it; null until the create answered. */
    modifiedOn: z.date().nullable(),
    label: z.string(),
  }),
  z.object({
    kind: z.literal('fieldsOverwritten'),
    system: JournalSystem,
    table: z.string(),
    id: z.string(),
    label: z.string(),
    fields: z.array(OverwrittenField).max(200),
    /**
     * The coupling's synchronization state the same write replaced (a synchronization's field write):
     * one entry per record instead of two. Journals written before hold it as a separate syncState entry.
     */
    syncState: z.object({ mapping: z.string(), bcId: z.string(), before: SyncStateBefore }).optional(),
  }),
  z.object({
    kind: z.literal('syncState'),
    mapping: z.string(),
    bcId: z.string(),
    before: SyncStateBefore,
  }),
  /** Undo deleted a row: recorded so that an undo of the undo can say why it cannot bring it back. */
  z.object({
    kind: z.literal('rowDeleted'),
    system: JournalSystem,
    table: z.string(),
    id: z.string(),
    label: z.string(),
    values: Fields,
  }),
]);
export type JournalEntry = z.infer<typeof JournalEntry>;

/** The journal of one job: undo reads nothing else, and a preview swaps it for `noJournal`. */
export interface UndoJournal {
  /** Records entries for `jobId` before their writes happen; a retry records the same entry once. */
  record(jobId: string, entries: readonly JournalEntry[]): Promise<void>;
  /** Notes created rows' modified times once the create answered (a later change shows as newer). */
  created(
    jobId: string,
    system: JournalSystem,
    rows: ReadonlyArray<{ id: string; modifiedOn: Date }>,
  ): Promise<void>;
}

/** A journal that keeps nothing: a dry run, or a test that does not care about undo. */
export const noJournal: UndoJournal = {
  record: () => Promise.resolve(),
  created: () => Promise.resolve(),
};

/** The key that makes a retried entry the same entry (first record wins: its before-values are the real ones). */
export function entryKey(e: JournalEntry): string {
  switch (e.kind) {
    case 'couplingAdded':
      return `ca\n${e.mapping}\n${e.bcId}\n${e.dvId}`;
    case 'couplingRemoved':
      return `cr\n${e.coupling.mapping}\n${e.coupling.bcId}`;
    case 'rowCreated':
      return `rc\n${e.system}\n${e.id}`;
    case 'fieldsOverwritten':
      return `fo\n${e.system}\n${e.id}`;
    case 'syncState':
      return `ss\n${e.mapping}\n${e.bcId}`;
    case 'rowDeleted':
      return `rd\n${e.system}\n${e.id}`;
  }
}
