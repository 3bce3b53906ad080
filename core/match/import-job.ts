import type { JobSink } from '../coupling/deps.js';
import type { Actor } from '../model/actor.js';
import type { DvRow } from '../model/record.js';
import type { UndoJournal } from '../undo/journal.js';

/** What makes an import undoable: its rows journalled, and a finished job of Type Import to undo. */
export interface ImportJobDeps {
  journal?: UndoJournal;
  jobs?: Pick<JobSink, 'start' | 'incrementCounters' | 'finish'>;
}

/**
 * Dataverse chooses an imported row's id, so each chunk's rows are journalled as soon as the create
 * answers (a crash in between leaves rows an undo does not know; the audit entry still lists them).
 */
export async function journalImported(
  deps: ImportJobDeps,
  jobId: string,
  rows: readonly DvRow[],
): Promise<void> {
  await deps.journal?.record(
    jobId,
    rows.map((r) => ({
      kind: 'rowCreated',
      system: 'dv',
      table: r.table,
      id: r.id,
      modifiedOn: r.modifiedOn,
      label: `${r.table} ${String(r.fields['name'] ?? r.id)} (${r.id}), imported`,
    })),
  );
}

/** The import as a finished job, once rows were inserted; undefined without a journal (nothing to undo). */
export async function recordImportJob(
  deps: ImportJobDeps,
  actor: Actor,
  input: { id: string; mapping: string; inserted: number; message: string },
): Promise<string | undefined> {
  if (!deps.journal || !deps.jobs || input.inserted === 0) return undefined;
  const id = await deps.jobs.start({
    id: input.id,
    mapping: input.mapping,
    type: 'Import',
    direction: 'ToIntegrationTable',
    startedBy: actor.name || actor.id,
    startedById: actor.id,
  });
  await deps.jobs.incrementCounters(id, { inserted: input.inserted });
  await deps.jobs.finish(id, 'Finished', input.message);
  return id;
}
