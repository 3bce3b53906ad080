import type { CardData, CardName } from '../../../cards/registry.js';
import { renderCard } from '../../../cards/render.js';
import { customerMapping, matchRun, maxData } from './fixtures.js';

export interface Variant {
  label: string;
  render: () => unknown;
}
const variant = <N extends CardName>(name: N, label: string, data: () => CardData<N>): Variant => ({
  label: `${name}: ${label}`,
  render: () => renderCard(name, data()),
});
const decidedBy = {
  decidedBy: { id: 'aad-megan', name: 'Megan Bowen' },
  decidedAt: new Date('2024-05-02T09:30:00Z'),
};

/** The other branches of each template: empty lists, other flags, other states. */
export const variants: Variant[] = [
  variant('help', 'manager without sandbox', () => ({ sandbox: false, isManager: true })),
  variant('record', 'not coupled', () => ({
    ...maxData.record(),
    coupling: null,
    fields: [],
    actions: { setUpCoupling: true },
  })),
  variant('setUpCoupling', 'nothing found, no Create New', () => ({
    ...maxData.setUpCoupling(),
    candidates: [],
    summary: [],
    canCreateNew: false,
    note: 'Only rows of this company are searched.',
  })),
  variant('confirm', 'minimal, not destructive', () => ({
    title: 'Reset?',
    text: 'Reset CUSTOMER.',
    confirmVerb: 'ca.mapping.reset',
    confirmData: { mapping: 'CUSTOMER' },
    destructive: false,
  })),
  variant('outcome', 'failure without lines', () => ({
    title: 'Not coupled',
    by: 'Alex',
    at: 'now',
    tone: 'failure',
  })),
  variant('error', 'message only', () => ({ message: 'Customer 99999 does not exist.' })),
  variant('mappings', 'none, not a manager', () => ({ mappings: [], isManager: false })),
  variant('mappingFields', 'no fields', () => ({ ...customerMapping, fields: [] })),
  variant('syncDirection', 'one record, one choice', () => ({
    ...maxData.syncDirection(),
    records: maxData.syncDirection().records.slice(0, 1),
    choices: ['FromIntegrationTable'],
    recommended: 'FromIntegrationTable',
  })),
  variant('syncResult', 'no records', () => ({ ...maxData.syncResult(), records: [], moreRecords: 0 })),
  variant('jobRunning', 'coupling job without direction', () => ({
    ...maxData.jobRunning(),
    type: 'Coupling',
    direction: '',
  })),
  variant('jobs', 'none', () => ({ scope: 'VENDOR', jobs: [] })),
  variant('syncErrors', 'none', () => ({ scope: 'VENDOR', total: 0, errors: [], canRetryAll: false })),
  variant('matchCriteria', 'FromIntegrationTable', () => ({
    ...maxData.matchCriteria(),
    direction: 'FromIntegrationTable',
  })),
  variant('matchResults', 'not a manager, first page of one', () => ({
    ...maxData.matchResults(),
    canDecide: false,
    rows: { ...maxData.matchResults().rows, page: 0, pages: 1 },
  })),
  ...(['Applying', 'Approved', 'Rejected', 'Expired', 'Failed'] as const).map((status) =>
    variant('matchResults', status, () => ({
      ...maxData.matchResults(),
      run: matchRun({
        status,
        ...decidedBy,
        applied: { coupled: 1, created: 0, skipped: 0, failed: 0 },
        message: 'Dataverse is unreachable.',
      }),
    })),
  ),
  variant('importReport', 'nothing to match', () => ({
    fileName: 'a.csv',
    report: { kind: 'products', accepted: 0, rejected: [], mappings: [] },
    canRunMatch: false,
  })),
];
