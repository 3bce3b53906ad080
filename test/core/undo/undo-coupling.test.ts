import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import type { Actor } from '../../../core/model/actor.js';
import { manager, user } from '../coupling/world.js';
import { makeUndoWorld, type UndoWorld } from './world.js';

let w: UndoWorld;
beforeAll(async () => {
  w = await makeUndoWorld();
});
beforeEach(() => w.reset());
afterAll(() => w.cleanup());

const other: Actor = { id: 'user-2', name: 'Oscar Other' };

async function coupleAdatum(actor: Actor = user) {
  const dvId = (await w.dvRow('account', 'Adatum Corporation')).id;
  return w.service.couple(actor, { bcTable: 'Customer', number: '10000', dvId });
}

describe('undo of a manual couple', () => {
  it('the couple is a job; undoing it leaves the couplings exactly as before', async () => {
    const before = await w.couplingsNow();
    const result = await coupleAdatum();
    expect(result.jobId).toBeDefined();
    const answer = await w.undo.undo(result.jobId, user);
    expect(answer.kind).toBe('undone');
    if (answer.kind !== 'undone') return;
    expect(answer.undone).toEqual(['CUSTOMER 10000: uncoupled.']);
    expect(answer.left).toEqual([]);
    expect(answer.undoJob).toMatchObject({ type: 'Undo', status: 'Finished', counters: { uncoupled: 1 } });
    expect(await w.couplingsNow()).toEqual(before);
  });

  it('the undo is a job that can be undone in turn: the coupling comes back as it was', async () => {
    const result = await coupleAdatum();
    const coupled = await w.couplingsNow();
    const first = await w.undo.undo(result.jobId, user);
    if (first.kind !== 'undone') throw new Error('not undone');
    const second = await w.undo.undo(first.undoJob.id, user);
    expect(second.kind).toBe('undone');
    expect(await w.couplingsNow()).toEqual(coupled);
  });

  it('a second undo answers who undid it and when, and changes nothing', async () => {
    const result = await coupleAdatum();
    await w.undo.undo(result.jobId, user);
    const after = await w.couplingsNow();
    const again = await w.undo.undo(result.jobId, manager);
    expect(again.kind).toBe('already');
    expect(again.job.undone).toMatchObject({ byName: user.name });
    expect(await w.couplingsNow()).toEqual(after);
  });

  it('two undos at once: one undoes, the other hears it was already undone', async () => {
    const result = await coupleAdatum();
    const answers = await Promise.all([w.undo.undo(result.jobId, user), w.undo.undo(result.jobId, user)]);
    expect(answers.map((a) => a.kind).sort()).toEqual(['already', 'undone']);
  });

  it('a coupling that points elsewhere now is left, and the undo says why', async () => {
    const result = await coupleAdatum();
    await w.service.uncouple(user, 'Customer', ['10000']);
    const trey = (await w.dvRow('account', 'trey research', null)).id;
    await w.service.couple(user, { bcTable: 'Customer', number: '10000', dvId: trey });
    const answer = await w.undo.undo(result.jobId, manager);
    if (answer.kind !== 'undone') throw new Error('not undone');
    expect(answer.left).toEqual([
      `CUSTOMER 10000: left as it is, it is now coupled to another row (${trey}).`,
    ]);
    expect((await w.couplings.getByBcId('CUSTOMER', result.bc.id))?.dvId).toBe(trey);
  });

  it('someone else’s job is refused unless they are a manager, and nothing changes', async () => {
    const result = await coupleAdatum();
    const before = await w.couplingsNow();
    await expect(w.undo.undo(result.jobId, other)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(await w.couplingsNow()).toEqual(before);
    expect((await w.undo.undo(result.jobId, manager)).kind).toBe('undone');
  });

  it('bad job ids are refused before they reach the store', async () => {
    for (const id of ['', 'not-a-guid', { $ne: null }, 42])
      await expect(w.undo.undo(id, user)).rejects.toMatchObject({ code: ErrorCode.InvalidInput });
  });

  it('a job older than 7 days can no longer be undone', async () => {
    const result = await coupleAdatum();
    const old = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    await w.db
      .collection('jobs')
      .updateOne({ id: result.jobId }, { $set: { startedAt: old, finishedAt: old } });
    await expect(w.undo.undo(result.jobId, user)).rejects.toThrow(
      /can no longer be undone \(changes are kept 7 days\)/,
    );
  });

  it('undo last undoes the actor’s own latest job that changed something', async () => {
    await coupleAdatum();
    const answer = await w.undo.undoLast(user);
    expect(answer.kind).toBe('undone');
    expect(await w.couplingCount()).toBe(0);
    await expect(w.undo.undoLast(other)).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });
});

describe('undo of Delete Coupling', () => {
  it('restores the deleted coupling whole, as it was', async () => {
    await coupleAdatum();
    const coupled = await w.couplingsNow();
    const [outcome] = await w.service.uncouple(user, 'Customer', ['10000']);
    expect(await w.couplingCount()).toBe(0);
    const answer = await w.undo.undo(outcome?.jobId, user);
    expect(answer.kind).toBe('undone');
    expect(await w.couplingsNow()).toEqual(coupled);
  });

  it('uncoupling several records is a bulk change: only a manager may undo it', async () => {
    await coupleAdatum();
    const trey = (await w.dvRow('account', 'trey research', null)).id;
    await w.service.couple(user, { bcTable: 'Customer', number: '20000', dvId: trey });
    const coupled = await w.couplingsNow();
    const outcomes = await w.service.uncouple(user, 'Customer', ['10000', '20000']);
    const jobId = outcomes[0]?.jobId;
    await expect(w.undo.undo(jobId, user)).rejects.toThrow(
      /Only managers can undo a job that changed 2 records/,
    );
    expect(await w.couplingCount()).toBe(0);
    await w.undo.undo(jobId, manager);
    expect(await w.couplingsNow()).toEqual(coupled);
  });

  it('Delete Couplings of a whole mapping is undone by a manager, every coupling back', async () => {
    await coupleAdatum(manager);
    const trey = (await w.dvRow('account', 'trey research', null)).id;
    await w.service.couple(manager, { bcTable: 'Customer', number: '20000', dvId: trey });
    const coupled = await w.couplingsNow();
    const job = await w.service.uncoupleAll(manager, 'CUSTOMER');
    const answer = await w.undo.undo(job.id, manager);
    if (answer.kind !== 'undone') throw new Error('not undone');
    expect(answer.undoJob.counters.coupled).toBe(2);
    expect(await w.couplingsNow()).toEqual(coupled);
  });
});

describe('undo of Create New', () => {
  it('deletes the row it created and the coupling', async () => {
    const result = await w.service.createNew(user, { bcTable: 'Customer', number: '50000' });
    expect(result.created).toBe('dv');
    const rowId = result.coupling.dvId;
    const answer = await w.undo.undo(result.jobId, user);
    if (answer.kind !== 'undone') throw new Error('not undone');
    expect(answer.left).toEqual([]);
    expect(await w.dv.get('account', rowId)).toBeNull();
    expect(await w.couplingCount()).toBe(0);
  });

  it('keeps a created row someone changed since, and lists it with the reason', async () => {
    const result = await w.service.createNew(user, { bcTable: 'Customer', number: '50000' });
    const rowId = result.coupling.dvId;
    await new Promise((r) => setTimeout(r, 5));
    await w.dv.update('account', rowId, { telephone1: '+1 555 0100' });
    const answer = await w.undo.undo(result.jobId, user);
    if (answer.kind !== 'undone') throw new Error('not undone');
    expect(answer.left).toEqual([
      expect.stringMatching(/not deleted, it was changed after the job created it/),
    ]);
    expect(await w.dv.get('account', rowId)).not.toBeNull();
    expect(await w.couplingCount()).toBe(0);
  });
});
