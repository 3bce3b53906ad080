import { describe, expect, it } from 'vitest';
import { matchRecords } from '../../../core/match/engine.js';
import type { MatchOutcome } from '../../../core/match/outcome.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { BcRecord, DvRow } from '../../../core/model/record.js';
import { bc, criteria, customerMapping, dv, OTHER_COMPANY } from './factory.js';

interface Case {
  name: string;
  spec: Record<string, number>;
  bcRecords: BcRecord[];
  dvRows: DvRow[];
  coupledDv?: string[];
  coupledBc?: string[];
  createNew?: boolean;
  /** Per BC record: kind and, for proposals, "dvId@priority". */
  expected: string[];
}

const summary = (o: MatchOutcome): string => {
  if (o.kind === 'proposed') return `proposed ${o.dvId}@${o.priority}`;
  if (o.kind === 'skipped') return `skipped ${o.reason}`;
  if (o.kind === 'matchAlreadyCoupled') return `matchAlreadyCoupled ${o.dvId}@${o.priority}`;
  if (o.kind === 'severalMatches') return `severalMatches ${o.count}@${o.priority}`;
  return o.kind;
};

function run(c: Omit<Case, 'name' | 'expected'>) {
  return matchRecords({
    mapping: customerMapping(),
    criteria: criteria(c.spec, c.createNew ?? false),
    bcRecords: c.bcRecords,
    dvRows: c.dvRows,
    coupledBcIds: new Set(c.coupledBc ?? []),
    coupledDvIds: new Set(c.coupledDv ?? []),
  });
}

const cases: Case[] = [
  {
    name: 'the highest priority group (0) wins when it finds one row',
    spec: { 'E-Mail': 0, Name: 1 },
    bcRecords: [bc('c1', { 'E-Mail': 'a@x.com', Name: 'Adatum' })],
    dvRows: [dv('byName', { name: 'Adatum' }), dv('byMail', { emailaddress1: 'a@x.com', name: 'Other' })],
    expected: ['proposed byMail@0'],
  },
  {
    name: 'a record without a value for group 0 is matched by group 1',
    spec: { 'E-Mail': 0, Name: 1 },
    bcRecords: [bc('c1', { 'E-Mail': '', Name: 'Adatum' })],
    dvRows: [dv('empty', { emailaddress1: '', name: 'Zeta' }), dv('byName', { name: 'Adatum' })],
    expected: ['proposed byName@1'],
  },
  {
    name: 'fields of one priority must all be equal (AND)',
    spec: { Name: 0, City: 0 },
    bcRecords: [bc('c1', { Name: 'Adatum', City: 'Seattle' })],
    dvRows: [
      dv('d1', { name: 'Adatum', address1_city: 'Atlanta' }),
      dv('d2', { name: 'Adatum', address1_city: 'Seattle' }),
    ],
    expected: ['proposed d2@0'],
  },
  {
    name: 'an empty field of a group is ignored and the others still match',
    spec: { Name: 0, City: 0 },
    bcRecords: [bc('c1', { Name: 'Adatum', City: '  ' })],
    dvRows: [dv('d1', { name: 'Adatum', address1_city: 'Seattle' })],
    expected: ['proposed d1@0'],
  },
  {
    name: 'a Dataverse row with an empty value does not equal a non-empty one',
    spec: { Name: 0, City: 0 },
    bcRecords: [bc('c1', { Name: 'Adatum', City: 'Seattle' })],
    dvRows: [dv('d1', { name: 'Adatum', address1_city: '' })],
    expected: ['noMatch'],
  },
  {
    name: 'text is compared case-insensitively and trimmed by default',
    spec: { Name: 0 },
    bcRecords: [bc('c1', { Name: ' ADATUM corporation ' })],
    dvRows: [dv('d1', { name: 'Adatum Corporation' })],
    expected: ['proposed d1@0'],
  },
  {
    name: 'a case-sensitive field needs the exact case',
    spec: { 'Name!': 0 },
    bcRecords: [bc('c1', { Name: 'ADATUM' }), bc('c2', { Name: 'Adatum' })],
    dvRows: [dv('d1', { name: 'Adatum' })],
    expected: ['noMatch', 'proposed d1@0'],
  },
  {
    name: 'two Dataverse rows with the same value are several matches and fall through',
    spec: { Name: 0, 'E-Mail': 1 },
    bcRecords: [bc('c1', { Name: 'Trey', 'E-Mail': 't@x.com' }), bc('c2', { Name: 'Trey' })],
    dvRows: [dv('d1', { name: 'Trey' }), dv('d2', { name: 'trey', emailaddress1: 'T@X.com' })],
    expected: ['proposed d2@1', 'severalMatches 2@0'],
  },
  {
    name: 'a single match that is already coupled falls through to the next group',
    spec: { Name: 0, 'E-Mail': 1 },
    bcRecords: [bc('c1', { Name: 'Trey', 'E-Mail': 't@x.com' }), bc('c2', { Name: 'Trey' })],
    dvRows: [dv('d1', { name: 'Trey' }), dv('d2', { name: 'Other', emailaddress1: 't@x.com' })],
    coupledDv: ['d1'],
    expected: ['proposed d2@1', 'matchAlreadyCoupled d1@0'],
  },
  {
    name: "another company's rows never match",
    spec: { Name: 0 },
    bcRecords: [bc('c1', { Name: 'Adatum' }), bc('c2', { Name: 'Relecloud' })],
    dvRows: [
      dv('mine', { name: 'Adatum' }),
      dv('theirs', { name: 'Adatum', bcbi_companyid: OTHER_COMPANY }),
      dv('theirs2', { name: 'Relecloud', bcbi_companyid: OTHER_COMPANY }),
      dv('vendor', { name: 'Relecloud', customertypecode: 11 }),
    ],
    expected: ['proposed mine@0', 'noMatch'],
  },
  {
    name: 'rows without a company id belong to every company (filter "current or empty")',
    spec: { Name: 0 },
    bcRecords: [bc('c1', { Name: 'Adatum' })],
    dvRows: [dv('blank', { name: 'Adatum', bcbi_companyid: null })],
    expected: ['proposed blank@0'],
  },
  {
    name: 'already coupled and blocked BC records are skipped',
    spec: { Name: 0 },
    bcRecords: [bc('c1', { Name: 'Adatum' }), bc('c2', { Name: 'Adatum', Blocked: 'All' })],
    dvRows: [dv('d1', { name: 'Adatum' })],
    coupledBc: ['c1'],
    expected: ['skipped alreadyCoupled', 'skipped outsideFilter'],
  },
  {
    name: 'two BC records finding one row: the first gets it, the second falls through',
    spec: { Name: 0, City: 1 },
    bcRecords: [bc('c1', { Name: 'Adatum', City: 'X' }), bc('c2', { Name: 'Adatum', City: 'Oslo' })],
    dvRows: [dv('d1', { name: 'Adatum' }), dv('d2', { name: 'Other', address1_city: 'Oslo' })],
    expected: ['proposed d1@0', 'proposed d2@1'],
  },
  {
    name: 'with Create New every record without a unique uncoupled match would be created',
    spec: { Name: 0 },
    bcRecords: [bc('c1', { Name: 'Adatum' }), bc('c2', { Name: 'Trey' }), bc('c3', { Name: 'Dup' })],
    dvRows: [dv('d1', { name: 'Adatum' }), dv('x1', { name: 'Dup' }), dv('x2', { name: 'Dup' })],
    createNew: true,
    expected: ['proposed d1@0', 'wouldCreate', 'wouldCreate'],
  },
  {
    name: 'numbers and text with the same digits are equal',
    spec: { 'Post Code': 0 },
    bcRecords: [bc('c1', { 'Post Code': '98052' })],
    dvRows: [dv('d1', { address1_postalcode: 98052 })],
    expected: ['proposed d1@0'],
  },
];

describe('matchRecords (Match-Based Coupling, domain.md §4)', () => {
  it.each(cases)('$name', (c) => {
    expect(run(c).outcomes.map(summary)).toEqual(c.expected);
  });

  it('names the fields that matched as the reason for a proposal', () => {
    const [o] = run({
      spec: { Name: 0, City: 0, 'E-Mail': 1 },
      bcRecords: [bc('c1', { Name: ' Adatum ', City: '', 'E-Mail': 'a@x.com' })],
      dvRows: [dv('d1', { name: 'adatum', address1_city: 'Seattle' })],
    }).outcomes;
    expect(o).toMatchObject({
      kind: 'proposed',
      dvName: 'adatum',
      matchedOn: [{ bcField: 'Name', dvField: 'name', value: 'Adatum' }],
      attempts: [],
    });
  });

  it('a proposal lists the groups that failed before the one that matched', () => {
    const [o] = run({
      spec: { 'E-Mail': 0, Name: 1 },
      bcRecords: [bc('c1', { 'E-Mail': 'a@x.com', Name: 'Adatum' })],
      dvRows: [
        dv('d1', { name: 'Adatum', emailaddress1: 'a@x.com' }),
        dv('d2', { emailaddress1: 'a@x.com' }),
      ],
    }).outcomes;
    expect(o).toMatchObject({
      kind: 'proposed',
      dvId: 'd1',
      priority: 1,
      attempts: [{ priority: 0, result: 'several', count: 2, dvIds: ['d1', 'd2'] }],
    });
  });

  it('lists every attempt when nothing matched, and names the BC record that took a row earlier', () => {
    const [, second] = run({
      spec: { Name: 0, 'E-Mail': 1 },
      bcRecords: [bc('c1', { Name: 'Adatum' }), bc('c2', { Name: 'Adatum', 'E-Mail': '' })],
      dvRows: [dv('d1', { name: 'Adatum' })],
    }).outcomes;
    expect(second).toEqual({
      kind: 'matchAlreadyCoupled',
      bc: { id: 'c2', number: 'c2', name: 'Adatum' },
      priority: 0,
      dvId: 'd1',
      takenInRunBy: 'c1',
      attempts: [
        { priority: 0, result: 'coupled', count: 1, dvIds: ['d1'], takenInRunBy: 'c1' },
        { priority: 1, result: 'noValues', count: 0, dvIds: [] },
      ],
    });
  });

  it('counts every kind of outcome', () => {
    const result = run({
      spec: { Name: 0 },
      bcRecords: [
        bc('a', { Name: 'A' }),
        bc('b', { Name: 'B' }),
        bc('c', { Name: 'C' }),
        bc('d', { Name: 'D' }),
      ],
      dvRows: [dv('1', { name: 'A' }), dv('2', { name: 'B' }), dv('3', { name: 'B' })],
      coupledBc: ['d'],
    });
    expect(result.counts).toEqual({
      total: 4,
      proposed: 1,
      noMatch: 1,
      severalMatches: 1,
      matchAlreadyCoupled: 0,
      skipped: 1,
      wouldCreate: 0,
    });
  });

  it('never proposes Create New when data only flows from Dataverse', () => {
    const result = matchRecords({
      mapping: customerMapping('FromIntegrationTable'),
      criteria: criteria({ Name: 0 }, true),
      bcRecords: [bc('c1', { Name: 'Nobody' })],
      dvRows: [],
      coupledBcIds: new Set(),
      coupledDvIds: new Set(),
    });
    expect(result.outcomes.map(summary)).toEqual(['noMatch']);
  });

  it.each([
    ['no field is marked', { fields: [] }],
    ['the only marked field has a constant', criteria({ Type: 0 })],
    [
      'the only marked field is not in the mapping',
      { fields: [{ bcField: 'X', dvField: 'y', match: true, caseSensitive: false, priority: 0 }] },
    ],
  ])("refuses to run when %s, with BC's message", (_, partial) => {
    const c = { ...criteria({}), ...partial };
    const attempt = () =>
      matchRecords({
        mapping: customerMapping(),
        criteria: c,
        bcRecords: [],
        dvRows: [],
        coupledBcIds: new Set(),
        coupledDvIds: new Set(),
      });
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(/You must specify which fields .* should be used for match-based coupling/);
    try {
      attempt();
    } catch (e) {
      expect((e as DomainError).code).toBe(ErrorCode.NoMatchCriteria);
    }
  });
});
