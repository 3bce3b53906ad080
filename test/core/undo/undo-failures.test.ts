import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/ports/clock.js';
import type { UndoJournalStore } from '../../../core/undo/journal-repository.js';
import { createUndoService } from '../../../core/undo/undo-service.js';
import { manager, user } from '../coupling/world.js';
import { makeUndoWorld, type UndoWorld } from './world.js';

let w: UndoWorld;
beforeAll(async () => {
  w = await makeUndoWorld();
});
beforeEach(() => w.reset());
afterAll(() => w.cleanup());

/** A store fault: the jobs store refuses to record the Undo job (as a full disk would). */
function refusingUndoJobs() {
  return createUndoService({
    ...w.deps,
    journal: w.journal,
    jobs: {
      ...w.jobs,
      start: (input) =>
        input.type === 'Undo' ? Promise.reject(new Error('the disk is full')) : w.jobs.start(input),
    },
    roles: w.roles,
    clock: systemClock,
  });
}

/** Three couplings, then Delete Couplings of the whole mapping: a job with three entries to reverse. */
async function uncoupleThree() {
  for (const [number, name, company] of [
    ['10000', 'Adatum Corporation', undefined],
    ['20000', 'trey research', null],
    ['30000', 'Alpine Ski House', undefined],
  ] as const) {
    const dvId = (await w.dvRow('account', name, company)).id;
    await w.service.couple(manager, { bcTable: 'Customer', number, dvId });
  }
  const coupled = await w.couplingsNow();
  const job = await w.service.uncoupleAll(manager, 'CUSTOMER');
  return { coupled, job };
}

/** A journal whose reading fails after its first page of one entry (the store went away midway). */
function stopsAfterOnePage(journal: UndoJournalStore): UndoJournalStore {
  return {
    ...journal,
    async *read(jobId) {
      for await (const page of journal.read(jobId, 1)) {
        yield page;
        throw new Error('connection to the store was lost');
      }
    },
  };
}

describe('an undo that cannot start', () => {
  it('gives the job back: the user is told nothing was changed, and trying again undoes it', async () => {
    const dvId = (await w.dvRow('account', 'Adatum Corporation')).id;
    const coupled = await w.service.couple(user, { bcTable: 'Customer', number: '10000', dvId });
    const before = await w.couplingsNow();
    await expect(refusingUndoJobs().undo(coupled.jobId, user)).rejects.toThrow(
      /The undo of job .* could not start \(the disk is full\)\. Nothing was changed; try again\./,
    );
    expect(await w.couplingsNow()).toEqual(before);
    expect((await w.jobs.get(String(coupled.jobId)))?.undone).toBeNull();
    const retried = await w.undo.undo(coupled.jobId, user);
    expect(retried.kind).toBe('undone');
    expect(await w.couplingCount()).toBe(0);
  });
});

describe('an undo that stops midway', () => {
  it('leaves the job partly undone, and undoing it again reverses only what is left', async () => {
    const { coupled, job } = await uncoupleThree();
    const stopping = createUndoService({
      ...w.deps,
      journal: stopsAfterOnePage(w.journal),
      jobs: w.jobs,
      roles: w.roles,
      clock: systemClock,
    });
    await expect(stopping.undo(job.id, manager)).rejects.toThrow(
      /stopped after 1 change undone: connection to the store was lost\. Job .* is partly undone; undo it again to reverse what is left\./,
    );
    expect(await w.couplingCount()).toBe(1);
    const partly = await w.jobs.get(job.id);
    expect(partly?.undone).toMatchObject({ partly: true });
    expect((await w.jobs.get(partly?.undone?.undoJobId ?? ''))?.status).toBe('Failed');

    const retried = await w.undo.undo(job.id, manager);
    if (retried.kind !== 'undone') throw new Error('not undone');
    // The coupling put back by the first attempt is not listed again as "already coupled".
    expect(retried.undone).toHaveLength(2);
    expect(retried.left).toEqual([]);
    expect(retried.undoJob.counters).toMatchObject({ coupled: 2, skipped: 0 });
    expect(await w.couplingsNow()).toEqual(coupled);
    expect((await w.jobs.get(job.id))?.undone?.partly).toBeUndefined();
    expect((await w.undo.undo(job.id, manager)).kind).toBe('already');
  });

  it('an entry a system refused is left for the retry, which reverses it and nothing twice', async () => {
    const created = await w.service.createNew(user, { bcTable: 'Customer', number: '50000' });
    const rowId = created.coupling.dvId;
    const refusing = createUndoService({
      ...w.deps,
      dv: Object.assign(Object.create(w.deps.dv) as typeof w.deps.dv, {
        delete: () => Promise.reject(new Error('Dataverse answered 503')),
      }),
      journal: w.journal,
      jobs: w.jobs,
      roles: w.roles,
      clock: systemClock,
    });
    const first = await refusing.undo(created.jobId, user);
    if (first.kind !== 'undone') throw new Error('not undone');
    expect(first.undone).toEqual(['CUSTOMER 50000: uncoupled.']);
    expect(first.left).toEqual([
      `account ${rowId} (created for Customer 50000 Relecloud): not undone, Dataverse answered 503`,
    ]);
    expect(first.undoJob.message).toMatch(/Undo job .* again to retry the 1 that failed\./);
    expect(first.job.undone).toMatchObject({ partly: true });
    expect(await w.dv.get('account', rowId)).not.toBeNull();

    const retried = await w.undo.undo(created.jobId, user);
    if (retried.kind !== 'undone') throw new Error('not undone');
    expect(retried.undone).toEqual([`account ${rowId} (created for Customer 50000 Relecloud): deleted.`]);
    expect(retried.left).toEqual([]);
    expect(await w.dv.get('account', rowId)).toBeNull();
    expect(await w.couplingCount()).toBe(0);
  });
});
