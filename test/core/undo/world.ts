import { CouplingService } from '../../../core/coupling/coupling-service.js';
import { ensureUndoJournalIndexes, createUndoJournal } from '../../../core/undo/journal-repository.js';
import { createUndoService } from '../../../core/undo/undo-service.js';
import { systemClock } from '../../../core/ports/clock.js';
import { makeWorld } from '../coupling/world.js';

/** The coupling world with the undo journal wired in, as the composition root wires it. */
export async function makeUndoWorld() {
  const w = await makeWorld();
  await ensureUndoJournalIndexes(w.db);
  const journal = createUndoJournal({ db: w.db, clock: systemClock });
  const deps = { ...w.deps, journal };
  const undo = createUndoService({ ...deps, jobs: w.jobs, roles: w.roles, clock: systemClock });
  return {
    ...w,
    deps,
    journal,
    service: new CouplingService(deps),
    undo,
    async reset() {
      await w.reset();
      await w.db.collection('undoJournal').deleteMany({});
    },
    /** The couplings collection as a person compares it: every field but MongoDB's own _id. */
    async couplingsNow() {
      const docs = await w.db
        .collection('couplings')
        .find({}, { projection: { _id: 0 } })
        .toArray();
      return docs.sort((a, b) => String(a['bcId']).localeCompare(String(b['bcId'])));
    },
  };
}
export type UndoWorld = Awaited<ReturnType<typeof makeUndoWorld>>;
