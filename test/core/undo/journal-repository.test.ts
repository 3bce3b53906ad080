import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../core/undo/journal.js';
import { makeUndoWorld, type UndoWorld } from './world.js';

let w: UndoWorld;
beforeAll(async () => {
  w = await makeUndoWorld();
});
beforeEach(() => w.reset());
afterAll(() => w.cleanup());

const written = (before: string, id = 'row-1'): JournalEntry => ({
  kind: 'fieldsOverwritten',
  system: 'dv',
  table: 'account',
  id,
  label: 'account row-1',
  fields: [{ field: 'telephone1', before, written: '+1 425 555 0199' }],
});

async function entriesOf(jobId: string): Promise<JournalEntry[]> {
  const all: JournalEntry[] = [];
  for await (const page of w.journal.read(jobId)) all.push(...page);
  return all;
}

describe('the undo journal', () => {
  it('a retried batch records each entry once: the first record, with the real before-values, wins', async () => {
    await w.journal.record('job-1', [written('(425) 555-0100')]);
    await w.journal.record('job-1', [written('+1 425 555 0199'), written('x', 'row-2')]);
    const entries = await entriesOf('job-1');
    expect(entries.map((e) => (e.kind === 'fieldsOverwritten' ? [e.id, e.fields[0]?.before] : []))).toEqual([
      ['row-2', 'x'],
      ['row-1', '(425) 555-0100'],
    ]);
    expect(await w.journal.count('job-1')).toBe(2);
  });

  it('entries an undo dealt with are no longer read for the job; the count still holds them', async () => {
    await w.journal.record('job-2', [written('a'), written('b', 'row-2')]);
    await w.journal.markReversed('job-2', [written('a')], 'undo-1');
    expect((await entriesOf('job-2')).map((e) => (e.kind === 'fieldsOverwritten' ? e.id : ''))).toEqual([
      'row-2',
    ]);
    expect(await w.journal.count('job-2')).toBe(2);
  });
});
