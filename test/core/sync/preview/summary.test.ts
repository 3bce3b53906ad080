import { describe, expect, it } from 'vitest';
import type { RecordResult } from '../../../../core/sync/outcome.js';
import { dryWrites } from '../../../../core/sync/preview/dry-ports.js';
import { PreviewSink } from '../../../../core/sync/preview/summary.js';

const change = (side: 'bc' | 'dv', i = 0) => ({
  bcField: `BC ${i}`,
  dvField: `dv${i}`,
  side,
  old: `old ${i}`,
  new: `new ${i}`,
});
const result = (
  n: number,
  outcome: RecordResult['outcome'],
  over: Partial<RecordResult> = {},
): RecordResult => ({
  bcId: `bc-${n}`,
  bcNumber: String(10000 + n),
  dvId: `dv-${n}`,
  outcome,
  changes: [],
  ...over,
});

describe('the preview summary', () => {
  it('counts every record exactly but keeps three examples per category, ten changes each', () => {
    const sink = new PreviewSink(dryWrites());
    const many = Array.from({ length: 5000 }, (_, i) =>
      result(i, 'Modified', { changes: Array.from({ length: 30 }, (_, j) => change('dv', j)) }),
    );
    for (let i = 0; i < many.length; i += 1000) sink.add(many.slice(i, i + 1000));
    expect(sink.summary.modifiedInDataverse.count).toBe(5000);
    expect(sink.summary.modifiedInDataverse.examples.map((e) => e.bcNumber)).toEqual([
      '10000',
      '10001',
      '10002',
    ]);
    expect(sink.summary.modifiedInDataverse.examples[0]?.changes).toHaveLength(10);
    expect(sink.summary.modifiedInDataverse.examples[0]?.changes[0]).toEqual({
      side: 'dv',
      field: 'dv0',
      old: 'old 0',
      new: 'new 0',
    });
    expect(sink.counters.modified).toBe(5000);
    // The sink keeps no per-record list: a large table costs what a small one does.
    expect(sink.records).toEqual([]);
  });

  it('sorts results into what a person asks: inserted where, modified which way, coupled, uncoupled, conflicts, errors', () => {
    const writes = dryWrites();
    const newRow = { table: 'account' as const, id: 'new-dv', fields: {}, modifiedOn: new Date(0) };
    writes.createdDv.add(newRow);
    const newRec = {
      table: 'Customer' as const,
      id: 'new-bc',
      number: '',
      fields: {},
      modifiedOn: new Date(0),
    };
    writes.createdBc.add(newRec);
    const sink = new PreviewSink(writes);
    sink.add([
      result(1, 'Inserted', { dvId: 'new-dv', coupled: true, changes: [change('dv')] }),
      result(2, 'Inserted', { bcId: 'new-bc', bcNumber: '', coupled: true, changes: [change('bc')] }),
      result(3, 'Modified', { changes: [change('dv'), change('bc', 1)] }),
      result(4, 'Coupled'),
      result(5, 'Uncoupled', { message: 'Both records were deleted; the coupling was removed.' }),
      result(6, 'Skipped', { message: 'Changed on both sides.' }),
      result(7, 'Failed', { message: 'x'.repeat(2000) }),
      result(8, 'Unchanged'),
    ]);
    const s = sink.summary;
    expect(
      Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'number' ? v : v.count])),
    ).toEqual({
      insertedInDataverse: 1,
      insertedInBusinessCentral: 1,
      modifiedInDataverse: 1,
      modifiedInBusinessCentral: 1,
      coupled: 1,
      uncoupled: 1,
      conflicts: 1,
      errors: 1,
      unchanged: 1,
    });
    // A record modified both ways shows, under each, only that side's fields.
    expect(s.modifiedInBusinessCentral.examples[0]?.changes.map((c) => c.field)).toEqual(['BC 1']);
    // Ids the preview made up are never shown or looked up as if they existed.
    expect(s.insertedInDataverse.examples[0]).toMatchObject({ bcId: 'bc-1', dvId: null });
    expect(s.insertedInBusinessCentral.examples[0]).toMatchObject({ bcId: null, bcNumber: '', dvId: 'dv-2' });
    expect(s.errors.examples[0]?.message).toHaveLength(500);
  });
});
