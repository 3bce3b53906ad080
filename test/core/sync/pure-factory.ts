import type { Coupling } from '../../../core/model/coupling.js';
import { FieldMapping, IntegrationTableMapping, type Direction } from '../../../core/model/mapping.js';
import type { BcRecord, DvRow, Fields } from '../../../core/model/record.js';

/** Times as minutes after a fixed start, so tables read "synced at 10, BC changed at 20". */
export const at = (minute: number): Date => new Date(Date.UTC(2024, 0, 1, 0, minute));

export const fm = (
  bcField: string,
  dvField: string,
  direction: Direction,
  extra: Partial<FieldMapping> = {},
) => FieldMapping.parse({ bcField, dvField, direction, ...extra });

/** A small CUSTOMER-like mapping: Name/Phone bidirectional, No. → accountnumber (≤ 20), Credit Limit → . */
export function mapping(over: Partial<IntegrationTableMapping> = {}): IntegrationTableMapping {
  return IntegrationTableMapping.parse({
    name: 'CUSTOMER',
    bcTable: 'Customer',
    dvTable: 'account',
    direction: 'Bidirectional',
    tableFilter: [],
    integrationTableFilter: [],
    syncOnlyCoupled: true,
    updateConflictResolution: 'None',
    deletionConflictResolution: 'None',
    fields: [
      fm('Name', 'name', 'Bidirectional', { maxLength: 160 }),
      fm('Phone No.', 'telephone1', 'Bidirectional', { maxLength: 50 }),
      fm('No.', 'accountnumber', 'ToIntegrationTable', { maxLength: 20 }),
      fm('Credit Limit (LCY)', 'creditlimit', 'ToIntegrationTable'),
    ],
    ...over,
  });
}

export const bcRec = (fields: Fields, modifiedMinute = 0): BcRecord => ({
  table: 'Customer',
  id: 'bc-1',
  number: String(fields['No.'] ?? '10000'),
  fields,
  modifiedOn: at(modifiedMinute),
});

export const dvRow = (fields: Fields, modifiedMinute = 0): DvRow => ({
  table: 'account',
  id: 'dv-1',
  fields,
  modifiedOn: at(modifiedMinute),
});

export function coupling(over: Partial<Coupling> = {}): Coupling {
  return {
    mapping: 'CUSTOMER',
    bcId: 'bc-1',
    bcNumber: '10000',
    dvId: 'dv-1',
    lastSyncedBcModifiedOn: at(10),
    lastSyncedDvModifiedOn: at(10),
    lastSyncResultBc: 'Success',
    lastSyncResultDv: 'Success',
    lastJobId: null,
    skipped: false,
    coupledAt: at(0),
    coupledBy: 'tester',
    origin: 'manual',
    ...over,
  };
}
