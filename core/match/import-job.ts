import type { JobSink } from '../coupling/deps.js';
import type { Actor } from '../model/actor.js';
import type { CancelRequest, Job } from '../model/job.js';
import type { DvRow } from '../model/record.js';
import type { UndoJournal } from '../undo/journal.js';

/** What makes an import undoable: its rows journalled, and a finished job of Type Import to undo. */
export interface ImportJobDeps {
  journal?: UndoJournal;
  jobs?: Pick<JobSink, 'start' | 'progress' | 'finish' | 'get' | 'setTotal'>;
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

/** What becomes of the rows: inserted and failed as each chunk is written, then the job's end. */
export interface ImportJobRun {
  /** The job's id; undefined without a journal (nothing could be undone: no job is kept). */
  id: string | undefined;
  /** Counts a written chunk; false when someone asked the job to stop (it stops before the next chunk). */
  chunk(inserted: number, failed: number): Promise<boolean>;
  finish(status: 'Finished' | 'Failed' | 'Cancelled', message: string): Promise<void>;
  /** Why the job was cancelled, once chunk() said to stop. */
  cancelRequest(): CancelRequest | null;
}

/**
 * The import as an Import job running while its rows go in: its total is the valid rows, so its card
 * shows how far it got; Cancel stops it between chunks. Without a journal, or a row to write, there is no job.
 */
export async function startImportJob(
  deps: ImportJobDeps,
  actor: Actor,
  input: { id: string; mapping: string; total: number },
  onStarted?: (job: Job) => void,
): Promise<ImportJobRun> {
  const { jobs } = deps;
  if (!deps.journal || !jobs || input.total === 0) {
    return {
      id: undefined,
      chunk: async () => true,
      finish: async () => undefined,
      cancelRequest: () => null,
    };
  }
  const id = await jobs.start({
    id: input.id,
    mapping: input.mapping,
    type: 'Import',
    direction: 'ToIntegrationTable',
    startedBy: actor.name || actor.id,
    startedById: actor.id,
  });
  await jobs.setTotal(id, input.total);
  const started = await jobs.get(id);
  if (started) onStarted?.(started);
  let cancel: CancelRequest | null = null;
  return {
    id,
    async chunk(inserted, failed) {
      const still = await jobs.progress(id, { inserted, failed });
      if (still.running && still.cancelRequest) cancel = still.cancelRequest;
      return cancel === null;
    },
    finish: async (status, message) => void (await jobs.finish(id, status, message)),
    cancelRequest: () => cancel,
  };
}
