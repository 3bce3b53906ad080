import { IntegrationTableMapping, type Direction } from '../../../core/model/mapping.js';
import type { BcRecord, DvRow, Fields } from '../../../core/model/record.js';
import type { MatchCriteria, MatchField } from '../../../core/match/criteria-model.js';

export const COMPANY = '11111111-1111-4111-8111-111111111111';
export const OTHER_COMPANY = '22222222-2222-4222-8222-222222222222';

const fieldPairs: Array<[string, string]> = [
  ['No.', 'accountnumber'],
  ['Name', 'name'],
  ['City', 'address1_city'],
  ['E-Mail', 'emailaddress1'],
  ['Phone No.', 'telephone1'],
  ['Post Code', 'address1_postalcode'],
];

/** A CUSTOMER-like mapping: Blocked must be blank in BC; company id and customer type in Dataverse. */
export function customerMapping(direction: Direction = 'Bidirectional'): IntegrationTableMapping {
  return IntegrationTableMapping.parse({
    name: 'CUSTOMER',
    bcTable: 'Customer',
    dvTable: 'account',
    direction,
    tableFilter: [{ field: 'Blocked', anyOf: [''] }],
    integrationTableFilter: [
      { field: 'customertypecode', anyOf: [3] },
      { field: 'bcbi_companyid', anyOf: [COMPANY, null] },
    ],
    syncOnlyCoupled: true,
    updateConflictResolution: 'None',
    deletionConflictResolution: 'None',
    fields: [
      ...fieldPairs.map(([bcField, dvField]) => ({ bcField, dvField, direction })),
      { bcField: 'Type', dvField: 'customertypecode', direction: 'ToIntegrationTable', constant: '3' },
    ],
  });
}

/** Criteria from a compact spec: { 'E-Mail': 0, 'Name': 1 } (field → priority); 'Name!' = case-sensitive. */
export function criteria(spec: Record<string, number>, createNew = false): MatchCriteria {
  const fields: MatchField[] = Object.entries(spec).map(([key, priority]) => {
    const caseSensitive = key.endsWith('!');
    const bcField = caseSensitive ? key.slice(0, -1) : key;
    const dvField =
      fieldPairs.find(([b]) => b === bcField)?.[1] ?? (bcField === 'Type' ? 'customertypecode' : '?');
    return { bcField, dvField, match: true, caseSensitive, priority };
  });
  return { fields, createNew, syncAfterCoupling: 'No', resolveUpdateConflicts: 'None' };
}

const when = new Date('2024-01-01T00:00:00Z');

export function bc(id: string, fields: Fields): BcRecord {
  return { table: 'Customer', id, number: id, fields: { Blocked: '', ...fields }, modifiedOn: when };
}

export function dv(id: string, fields: Fields): DvRow {
  return {
    table: 'account',
    id,
    fields: { customertypecode: 3, bcbi_companyid: COMPANY, ...fields },
    modifiedOn: when,
  };
}
