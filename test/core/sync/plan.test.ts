import { describe, expect, it } from 'vitest';
import type { UpdateConflictResolution } from '../../../core/model/mapping.js';
import type { Fields } from '../../../core/model/record.js';
import { snapshotOf } from '../../../core/sync/change-detection.js';
import { planRecord, type PlanMode, type RecordPlan } from '../../../core/sync/plan.js';
import { bcRec, coupling, dvRow, mapping } from './pure-factory.js';

/** Both sides as the last synchronization (at minute 10) left them. */
const BC0: Fields = { 'No.': '10000', Name: 'Adatum', 'Phone No.': '1', 'Credit Limit (LCY)': 5 };
const DV0: Fields = { accountnumber: '10000', name: 'Adatum', telephone1: '1', creditlimit: 5 };
const SNAPSHOT = snapshotOf(mapping().fields, BC0, DV0);

interface Case {
  name: string;
  /** Changes made on each side at minute 20 (none → side untouched since the sync). */
  bc?: Fields;
  dv?: Fields;
  resolution?: UpdateConflictResolution;
  direction?: 'Bidirectional' | 'ToIntegrationTable' | 'FromIntegrationTable';
  mode?: PlanMode;
  withoutSnapshot?: boolean;
  /** The changes carry modified-on times from before the last sync (drift the timestamps do not show). */
  stale?: boolean;
  expected: string;
}

const show = (p: RecordPlan): string => {
  if (p.kind === 'write') {
    if (p.toDv.changes.length + p.toBc.changes.length === 0) return 'unchanged';
    return `toDv ${JSON.stringify(p.toDv.fields)} toBc ${JSON.stringify(p.toBc.fields)}`;
  }
  if (p.kind === 'conflict') return `conflict ${p.fields.join(',')}`;
  if (p.kind === 'failed') return `failed ${p.message}`;
  return p.kind;
};

const merge: PlanMode = { kind: 'auto', full: false };
const cases: Case[] = [
  { name: 'nothing changed since the last sync', expected: 'not-modified' },
  {
    name: 'BC changed: its change goes to Dataverse',
    bc: { Name: 'Adatum Corp' },
    expected: 'toDv {"name":"Adatum Corp"} toBc {}',
  },
  {
    name: 'Dataverse changed: its change comes to BC',
    dv: { telephone1: '2' },
    expected: 'toDv {} toBc {"Phone No.":"2"}',
  },
  {
    name: 'different fields changed on each side merge without a conflict',
    bc: { Name: 'Adatum Corp' },
    dv: { telephone1: '2' },
    expected: 'toDv {"name":"Adatum Corp"} toBc {"Phone No.":"2"}',
  },
  {
    name: 'the same field changed differently on both sides, None: conflict naming it',
    bc: { 'Phone No.': '3' },
    dv: { telephone1: '2' },
    expected: 'conflict Phone No.',
  },
  {
    name: 'the same conflict with Send Update to Integration: BC wins',
    bc: { 'Phone No.': '3', Name: 'X' },
    dv: { telephone1: '2' },
    resolution: 'Send Update to Integration',
    expected: 'toDv {"name":"X","telephone1":"3"} toBc {}',
  },
  {
    name: 'the same conflict with Get Update from Integration: Dataverse wins, BC-only changes still flow',
    bc: { 'Phone No.': '3', Name: 'X' },
    dv: { telephone1: '2' },
    resolution: 'Get Update from Integration',
    expected: 'toDv {"name":"X"} toBc {"Phone No.":"2"}',
  },
  {
    name: 'the same field changed to the same value on both sides',
    bc: { 'Phone No.': '2' },
    dv: { telephone1: '2' },
    expected: 'unchanged',
  },
  {
    name: 'only one-way fields changed on both sides: no conflict, BC stays master of its fields',
    bc: { 'Credit Limit (LCY)': 9 },
    dv: { accountnumber: 'HACKED', creditlimit: 7 },
    expected: 'toDv {"accountnumber":"10000","creditlimit":9} toBc {}',
  },
  {
    name: 'never synchronized field by field: both modified and a bidirectional value differs is a conflict (BC rule)',
    bc: { Name: 'X' },
    dv: { telephone1: '2' },
    withoutSnapshot: true,
    expected: 'conflict Name,Phone No.',
  },
  {
    name: 'a value too long for the target fails the record',
    bc: { 'No.': '123456789012345678901' },
    expected: 'failed The value of No. (21 characters) is too long for accountnumber (maximum 20).',
  },
  {
    name: 'Send chosen by a person overwrites whatever changed in Dataverse',
    bc: { 'Phone No.': '3' },
    dv: { telephone1: '2', name: 'Y' },
    mode: { kind: 'forced', pass: 'ToIntegrationTable' },
    expected: 'toDv {"name":"Adatum","telephone1":"3"} toBc {}',
  },
  {
    name: 'Get chosen by a person overwrites whatever changed in BC',
    bc: { 'Phone No.': '3' },
    dv: { telephone1: '2' },
    mode: { kind: 'forced', pass: 'FromIntegrationTable' },
    expected: 'toDv {} toBc {"Phone No.":"2"}',
  },
  {
    name: 'one-way mapping to Dataverse ignores changes made in Dataverse',
    dv: { name: 'Y' },
    direction: 'ToIntegrationTable',
    expected: 'not-modified',
  },
  {
    name: 'one-way mapping to Dataverse sends BC changes and overwrites Dataverse',
    bc: { Name: 'X' },
    dv: { telephone1: '2' },
    direction: 'ToIntegrationTable',
    expected: 'toDv {"name":"X","telephone1":"1"} toBc {}',
  },
  {
    name: 'one-way mapping from Dataverse brings Dataverse changes',
    dv: { name: 'Y' },
    direction: 'FromIntegrationTable',
    expected: 'toDv {} toBc {"Name":"Y"}',
  },
  {
    name: 'a full run corrects drift the timestamps do not show: BC first',
    dv: { name: 'Drift' },
    stale: true,
    mode: { kind: 'auto', full: true },
    expected: 'toDv {"name":"Adatum"} toBc {}',
  },
  {
    name: 'a modified run does not look at records whose timestamps did not move',
    dv: { name: 'Drift' },
    stale: true,
    expected: 'not-modified',
  },
];

function plan(c: Case): RecordPlan {
  const m = mapping({
    updateConflictResolution: c.resolution ?? 'None',
    direction: c.direction ?? 'Bidirectional',
  });
  return planRecord({
    mapping: m,
    coupling: coupling({ lastSyncedValues: c.withoutSnapshot ? undefined : SNAPSHOT }),
    bc: bcRec({ ...BC0, ...c.bc }, c.bc && !c.stale ? 20 : 5),
    dv: dvRow({ ...DV0, ...c.dv }, c.dv && !c.stale ? 20 : 5),
    mode: c.mode ?? merge,
  });
}

describe('planRecord', () => {
  it.each(cases)('$name', (c) => {
    expect(show(plan(c))).toBe(c.expected);
  });

  it('names the conflicting field in BC words and says how to resolve it', () => {
    const p = plan({ name: '', bc: { 'Phone No.': '3' }, dv: { telephone1: '2' }, expected: '' });
    expect(p.kind === 'conflict' && p.message).toBe(
      'Cannot update Customer 10000 and its account because the record was changed in both Business Central and ' +
        'Dataverse: field Phone No.. Choose which side wins (Synchronize), or set Resolve Update Conflicts on mapping CUSTOMER: mapping customer update-conflicts send|get.',
    );
  });
});
