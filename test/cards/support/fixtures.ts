import type { CardData, CardName } from '../../../cards/registry.js';
import { criteriaOf } from '../../../core/match/criteria.js';
import { customerMapping, guid, mappings, nameOf, range } from './data.js';
import { matchOutcome, matchRun } from './match-fixtures.js';

export { customerMapping, guid, mappings } from './data.js';
export { matchOutcome, matchRun } from './match-fixtures.js';

/**
 * Realistic data for every card at the sizes the bot will really send: the most candidates, rows and
 * errors a card allows, with names and ids as long as CRONUS data and Dataverse GUIDs make them.
 * The type makes sure no card is missing.
 */
const counters = {
  inserted: 3,
  modified: 120,
  deleted: 0,
  unchanged: 9871,
  skipped: 2,
  failed: 4,
  coupled: 0,
  uncoupled: 0,
};
const at = '2024-05-01 10:12 UTC';

export const maxData: { [N in CardName]: () => CardData<N> } = {
  help: () => ({ sandbox: true, isManager: false }),
  record: () => ({
    mapping: 'CUSTOMER',
    bcTable: 'Customer',
    bcId: guid(1),
    number: '10000',
    name: 'Adatum Corporation',
    fields: [
      { title: 'Phone No.', value: '+1 425 555 0100' },
      { title: 'E-Mail', value: 'robert.townes@contoso.com' },
      { title: 'City', value: 'Atlanta' },
      { title: 'Blocked', value: '' },
    ],
    coupling: {
      dvTable: 'account',
      dvName: 'Adatum Corporation',
      dvId: guid(2),
      coupledBy: 'Alex Wilber',
      coupledAt: new Date('2024-05-01T10:12:00Z'),
      lastSyncedAt: at,
      lastSyncResultBc: 'Success',
      lastSyncResultDv: 'Failure',
      skipped: true,
    },
    actions: { setUpCoupling: false, synchronizeNow: true, deleteCoupling: true },
  }),
  setUpCoupling: () => ({
    mapping: 'CUSTOMER',
    bcTable: 'Customer',
    bcId: guid(1),
    number: '10000',
    name: 'Adatum Corporation',
    dvTable: 'account',
    summary: [
      { title: 'Phone No.', value: '+1 425 555 0100' },
      { title: 'E-Mail', value: 'robert.townes@contoso.com' },
    ],
    candidates: range(15).map((i) => ({
      dvId: guid(100 + i),
      name: `${nameOf(i)} Candidate ${i + 1}`,
      keyColumns: [
        { title: 'accountnumber', value: String(10000 + i) },
        { title: 'telephone1', value: '+1 425 555 0100' },
        { title: 'emailaddress1', value: `info${i}@adatum-corporation.example.com` },
      ],
      reason: i === 0 ? 'Same name' : 'Same phone number',
      alreadyCoupledTo: i === 3 ? 'Customer 20000 Trey Research' : '',
    })),
    canCreateNew: true,
  }),
  confirm: () => ({
    title: 'Delete couplings?',
    text: 'The couplings of 200 customers will be deleted. The records themselves stay as they are.',
    details: range(25).map((i) => `Customer ${10000 + i * 10} ${nameOf(i)}`),
    confirmTitle: 'Delete Couplings',
    confirmVerb: 'ca.uncouple.confirm',
    confirmData: { mapping: 'CUSTOMER', bcIds: range(200).map((i) => guid(i)) },
  }),
  outcome: () => ({
    title: 'Coupled',
    by: 'Alex Wilber',
    at: new Date('2024-05-01T10:12:00Z'),
    lines: range(50).map((i) => `Customer ${10000 + i} ${nameOf(i)} is now coupled to account ${nameOf(i)}.`),
    tone: 'success',
    undoJobId: guid(9),
  }),
  error: () => ({
    title: 'Something went wrong',
    message: 'Sorry, that did not work. Please try again.',
    hint: 'If it keeps happening, tell your administrator.',
    correlationId: 'a1b2c3d4',
  }),
  mappings: () => ({ mappings, isManager: true }),
  mappingFields: () => ({
    ...customerMapping,
    fields: range(100).map((i) => ({
      ...customerMapping.fields[i % customerMapping.fields.length]!,
      bcField: `Custom Field Number ${i}`,
      dvField: `cr4f2_customfieldnumber${i}`,
    })),
  }),
  syncDirection: () => ({
    mapping: 'CUSTOMER',
    bcTable: 'Customer',
    dvTable: 'account',
    records: range(200).map((i) => ({
      bcId: guid(i),
      number: String(10000 + i),
      name: nameOf(i),
      changed: 'Changed in Business Central',
    })),
    choices: ['ToIntegrationTable', 'FromIntegrationTable', 'Bidirectional'],
    recommended: 'ToIntegrationTable',
    explanation:
      'These customers changed in Business Central since the last synchronization; Dataverse did not change.',
  }),
  syncResult: () => ({
    mapping: 'CUSTOMER',
    direction: 'Send data update to Dataverse',
    by: 'Alex Wilber',
    at,
    counters,
    records: range(25).map((i) => ({
      number: String(10000 + i),
      name: nameOf(i),
      outcome: i % 5 === 0 ? 'Failed' : 'Modified',
      target: 'Dataverse',
      message: i % 5 === 0 ? 'Account Number is longer than 20 characters.' : '',
      changes: range(5).map((j) => ({
        field: `Field ${j}`,
        from: `+1 425 555 01${j}0`,
        to: j === 4 ? null : `+1 425 555 01${j}9`,
      })),
    })),
    moreRecords: 175,
    undoJobId: guid(9),
  }),
  syncPreview: () => ({
    previewId: '0b6c1a52-3a9e-4c1e-9d1b-5f2e7c8a9d10',
    mapping: 'CUSTOMER',
    what: 'Full synchronization · Bidirectional',
    by: 'Alex Wilber',
    at,
    expiresAt: '2024-05-01 11:12 UTC',
    summary: '9871 records would stay unchanged.',
    categories: range(8).map((c) => ({
      label: 'Would be modified in Dataverse',
      count: 120 + c,
      examples: range(3).map((i) => ({
        number: String(10000 + i),
        name: nameOf(i),
        changes: range(10).map((j) => ({
          field: `Field ${j}`,
          from: `+1 425 555 01${j}0`,
          to: j === 4 ? null : `+1 425 555 01${j}9`,
        })),
        message:
          'The account coupled to Customer 10000 was deleted in Dataverse. Choose Restore Records, Delete Coupling or Delete Records.',
      })),
    })),
  }),
  jobRunning: () => ({
    jobId: guid(9),
    mapping: 'CUSTOMER',
    type: 'Synchronization',
    direction: 'ToIntegrationTable',
    startedAt: new Date('2024-05-01T10:12:00Z'),
    startedBy: 'Alex Wilber',
    progress: '1,240,000 of 10,000,000 records (12%) · inserted 1,000,000 · modified 200,000 · failed 40,000',
    counters,
  }),
  jobs: () => ({
    scope: 'all table mappings',
    jobs: range(25).map((i) => ({
      id: guid(i),
      mapping: mappings[i % mappings.length]!.name,
      type: (['Synchronization', 'Coupling', 'Uncoupling'] as const)[i % 3]!,
      direction: i % 3 === 0 ? 'ToIntegrationTable' : '',
      status: (['Finished', 'Running', 'Failed', 'Interrupted'] as const)[i % 4]!,
      startedAt: new Date(Date.UTC(2024, 4, 1, 10, i)),
      finishedAt: i % 4 === 1 ? null : at,
      startedBy: i % 2 ? 'Scheduler' : 'Alex Wilber',
      counters,
      message: i % 4 === 2 ? 'The Dataverse service is not reachable (503).' : '',
    })),
    charts: range(12).map((m) => ({
      mapping: `${mappings[m % mappings.length]!.name}${m}`,
      runs: range(10).map((i) => ({ label: `05-${10 + i} 10:${10 + m}`, counters })),
    })),
  }),
  syncErrors: () => ({
    scope: 'CUSTOMER',
    mapping: 'CUSTOMER',
    total: 143,
    errors: range(15).map((i) => ({
      id: guid(500 + i),
      mapping: 'CUSTOMER',
      number: String(10000 + i * 10),
      name: nameOf(i),
      dvName: nameOf(i),
      kind: 'Update conflict',
      message: `Cannot update the record because both Phone No. and telephone1 changed since the last synchronization (${i}).`,
      at,
      actions: { retry: true, synchronize: true, deleteCoupling: true, restore: true, deleteRecord: true },
    })),
    canRetryAll: true,
  }),
  matchCriteria: () => ({
    ...customerMapping,
    criteria: {
      ...criteriaOf(customerMapping),
      fields: range(40).map((i) => ({
        bcField: `Match Field ${i}`,
        dvField: `cr4f2_matchfield${i}`,
        match: i < 2,
        caseSensitive: i === 1,
        priority: i % 3,
      })),
    },
  }),
  matchResults: () => ({
    run: matchRun(),
    rows: {
      page: 1,
      pages: 40,
      rows: range(25).map((i) => ({ rowId: `${25 + i}:${guid(1000 + i)}`, outcome: matchOutcome(i) })),
    },
    dvTable: 'account',
    canDecide: true,
  }),
  importReport: () => ({
    fileName: 'accounts-2024-05.csv',
    report: {
      kind: 'accounts',
      accepted: 480,
      createdIds: range(480).map((i) => guid(i)),
      rejected: range(120).map((i) => ({
        line: i * 3 + 2,
        reason: 'name is required; telephone1 must be at most 50 characters',
      })),
      mappings: ['CUSTOMER', 'VENDOR'],
    },
    canRunMatch: true,
  }),
};
