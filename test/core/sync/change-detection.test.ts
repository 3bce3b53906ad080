import { describe, expect, it } from 'vitest';
import type { Fields } from '../../../core/model/record.js';
import { modifiedSides, recommend, snapshotOf } from '../../../core/sync/change-detection.js';
import { at, bcRec, coupling, dvRow, mapping } from './pure-factory.js';

const BC0: Fields = { 'No.': '10000', Name: 'Adatum', 'Phone No.': '1' };
const DV0: Fields = { accountnumber: '10000', name: 'Adatum', telephone1: '1' };

describe('modifiedSides', () => {
  it.each([
    [5, 5, { bc: false, dv: false }],
    [10, 10, { bc: false, dv: false }],
    [11, 5, { bc: true, dv: false }],
    [5, 11, { bc: false, dv: true }],
  ])('BC at %i, Dataverse at %i, synced at 10 → %j', (b, d, expected) => {
    expect(modifiedSides(coupling(), bcRec({}, b), dvRow({}, d))).toEqual(expected);
  });

  it('treats a never synchronized side as modified', () => {
    const c = coupling({ lastSyncedBcModifiedOn: null, lastSyncedDvModifiedOn: at(99) });
    expect(modifiedSides(c, bcRec({}, 0), dvRow({}, 0))).toEqual({ bc: true, dv: false });
  });
});

interface Case {
  name: string;
  direction?: 'Bidirectional' | 'ToIntegrationTable' | 'FromIntegrationTable';
  bc?: Fields;
  dv?: Fields;
  options: string[];
  recommended: string | null;
  conflictFields?: string[];
}

const ALL = ['ToIntegrationTable', 'FromIntegrationTable', 'Bidirectional'];
const cases: Case[] = [
  { name: 'BC changed → Send', bc: { Name: 'X' }, options: ALL, recommended: 'ToIntegrationTable' },
  { name: 'Dataverse changed → Get', dv: { name: 'Y' }, options: ALL, recommended: 'FromIntegrationTable' },
  {
    name: 'different fields changed on both → Merge',
    bc: { Name: 'X' },
    dv: { telephone1: '2' },
    options: ALL,
    recommended: 'Bidirectional',
  },
  {
    name: 'a bidirectional field changed on both → only one-direction options, nothing pre-selected',
    bc: { 'Phone No.': '3' },
    dv: { telephone1: '2' },
    options: ['ToIntegrationTable', 'FromIntegrationTable'],
    recommended: null,
    conflictFields: ['Phone No.'],
  },
  { name: 'nothing changed → Merge is harmless', options: ALL, recommended: 'Bidirectional' },
  {
    name: 'one-direction mapping offers its direction only',
    direction: 'ToIntegrationTable',
    dv: { name: 'Y' },
    options: ['ToIntegrationTable'],
    recommended: 'ToIntegrationTable',
  },
  {
    name: 'mapping from Dataverse offers Get only',
    direction: 'FromIntegrationTable',
    options: ['FromIntegrationTable'],
    recommended: 'FromIntegrationTable',
  },
];

describe('recommend', () => {
  it.each(cases)('$name', (c) => {
    const r = recommend(
      mapping({ direction: c.direction ?? 'Bidirectional' }),
      coupling({ lastSyncedValues: snapshotOf(mapping().fields, BC0, DV0) }),
      bcRec({ ...BC0, ...c.bc }, c.bc ? 20 : 5),
      dvRow({ ...DV0, ...c.dv }, c.dv ? 20 : 5),
    );
    expect(r.options).toEqual(c.options);
    expect(r.recommended).toBe(c.recommended);
    expect(r.conflictFields).toEqual(c.conflictFields ?? []);
    expect(r.reason.length).toBeGreaterThan(10);
  });

  it('explains a conflict with the field names', () => {
    const r = recommend(
      mapping(),
      coupling({ lastSyncedValues: snapshotOf(mapping().fields, BC0, DV0) }),
      bcRec({ ...BC0, 'Phone No.': '3' }, 20),
      dvRow({ ...DV0, telephone1: '2' }, 20),
    );
    expect(r.reason).toBe(
      'Customer 10000 was changed in both Business Central and Dataverse (field Phone No.): choose which side wins.',
    );
  });
});

describe('snapshotOf', () => {
  it('keeps enabled, non-constant fields of both sides', () => {
    const m = mapping();
    const s = snapshotOf(m.fields, BC0, DV0);
    expect(s.map((x) => x.bcField)).toEqual(['Name', 'Phone No.', 'No.', 'Credit Limit (LCY)']);
    expect(s[3]).toEqual({ bcField: 'Credit Limit (LCY)', dvField: 'creditlimit', bc: null, dv: null });
  });
});
