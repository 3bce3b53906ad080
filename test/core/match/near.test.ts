import { describe, expect, it } from 'vitest';
import { matchRecords, type MatchInput } from '../../../core/match/engine.js';
import { BLOCK_CAP } from '../../../core/match/near-blocks.js';
import { addNearCandidates } from '../../../core/match/near.js';
import type { MatchOutcome } from '../../../core/match/outcome.js';
import type { BcRecord, DvRow } from '../../../core/model/record.js';
import { bc, criteria, customerMapping, dv, OTHER_COMPANY } from './factory.js';

function propose(
  bcRecords: BcRecord[],
  dvRows: DvRow[],
  options: { coupledDv?: string[]; createNew?: boolean } = {},
) {
  const input: MatchInput = {
    mapping: customerMapping(),
    criteria: criteria({ 'E-Mail': 0, Name: 1 }, options.createNew ?? false),
    bcRecords,
    dvRows,
    coupledBcIds: new Set(),
    coupledDvIds: new Set(options.coupledDv ?? []),
  };
  const result = matchRecords(input);
  const exact = structuredClone(result.outcomes.map(({ kind }) => kind));
  const found = addNearCandidates(input, result);
  return { result, exact, found };
}

const nearOf = (o: MatchOutcome | undefined) =>
  o && (o.kind === 'noMatch' || o.kind === 'wouldCreate') ? (o.near ?? []) : [];

describe('near candidates for records nothing matched', () => {
  it("'North Wind Traders' gets Dataverse 'Northwind Traders' with its score and reasons, best first", () => {
    const { result, found } = propose(
      [bc('c1', { Name: 'North Wind Traders', 'Phone No.': '+1 425 555 0100' })],
      [
        dv('weak', { name: 'Northwind Trading' }),
        dv('strong', { name: 'Northwind Traders', telephone1: '(425) 555-0100' }),
        dv('unrelated', { name: 'Fabrikam' }),
      ],
    );
    expect(found).toBe(1);
    expect(result.outcomes[0]?.kind).toBe('noMatch');
    expect(nearOf(result.outcomes[0])).toEqual([
      {
        dvId: 'strong',
        dvName: 'Northwind Traders',
        score: 99,
        reasons: ["name 95% similar: 'North Wind Traders' vs 'Northwind Traders'", 'same phone digits'],
      },
      {
        dvId: 'weak',
        dvName: 'Northwind Trading',
        score: 88,
        reasons: ["name 88% similar: 'North Wind Traders' vs 'Northwind Trading'"],
      },
    ]);
  });

  it('never changes what the exact match decided, nor its counts', () => {
    const { result, exact } = propose(
      [bc('c1', { Name: 'Adatum' }), bc('c2', { Name: 'Adatum Corp' }), bc('c3', { Name: 'Trey Research' })],
      [dv('d1', { name: 'Adatum' }), dv('d2', { name: 'Tray Research' })],
    );
    expect(result.outcomes.map((o) => o.kind)).toEqual(exact);
    expect(result.counts).toMatchObject({ proposed: 1, noMatch: 2 });
    // d1 is proposed for c1, so it is nobody's near candidate; c3 finds d2.
    expect(nearOf(result.outcomes[1])).toEqual([]);
    expect(nearOf(result.outcomes[2]).map((c) => c.dvId)).toEqual(['d2']);
  });

  it('keeps at most three candidates', () => {
    const { result } = propose(
      [bc('c1', { Name: 'Contoso Pharmaceuticals' })],
      [
        'Contoso Pharmaceutical',
        'Contoso Pharmaceutics',
        'Contosso Pharmaceuticals',
        'Contoso Pharma ceuticals',
        'Kontoso Pharmaceuticals',
      ].map((name, i) => dv(`d${i}`, { name })),
    );
    const near = nearOf(result.outcomes[0]);
    expect(near).toHaveLength(3);
    expect(near.map((c) => c.score)).toEqual([...near.map((c) => c.score)].sort((a, b) => b - a));
  });

  it('looks only at uncoupled rows inside the Integration Table Filter', () => {
    const { result, found } = propose(
      [bc('c1', { Name: 'Northwind Traders Ltd' })],
      [
        dv('coupled', { name: 'Northwind Traders' }),
        dv('otherCompany', { name: 'Northwind Traders', bcbi_companyid: OTHER_COMPANY }),
      ],
      { coupledDv: ['coupled'] },
    );
    expect(found).toBe(0);
    expect(nearOf(result.outcomes[0])).toEqual([]);
  });

  it('is also offered beside Create New, but not to a record whose criteria found several rows', () => {
    const { result } = propose(
      [bc('c1', { Name: 'North Wind Traders' }), bc('c2', { Name: 'Twice', 'Phone No.': '425 555 0100' })],
      [
        dv('d1', { name: 'Northwind Traders' }),
        dv('t1', { name: 'Twice', telephone1: '425 555 0100' }),
        dv('t2', { name: 'Twice' }),
      ],
      { createNew: true },
    );
    expect(result.outcomes.map((o) => o.kind)).toEqual(['wouldCreate', 'wouldCreate']);
    expect(nearOf(result.outcomes[0]).map((c) => c.dvId)).toEqual(['d1']);
    expect(nearOf(result.outcomes[1])).toEqual([]);
  });

  it('ignores a shared free-mail domain but finds a shared company domain', () => {
    const { result } = propose(
      [
        bc('c1', { Name: 'Adatum', 'E-Mail': 'anna@gmail.com' }),
        bc('c2', { Name: 'Litware', 'E-Mail': 'anna@litware.example' }),
      ],
      [
        dv('d1', { name: 'Fabrikam', emailaddress1: 'bob@gmail.com' }),
        dv('d2', { name: 'Proseware', emailaddress1: 'bob@litware.example' }),
      ],
    );
    expect(nearOf(result.outcomes[0])).toEqual([]);
    expect(nearOf(result.outcomes[1])).toEqual([
      { dvId: 'd2', dvName: 'Proseware', score: 60, reasons: ['same e-mail domain'] },
    ]);
  });

  it('drops a key shared by too many rows: a common domain alone finds nothing, a name still does (and the domain then still counts)', () => {
    const many = Array.from({ length: BLOCK_CAP + 1 }, (_, i) =>
      dv(`staff${i}`, { name: `Person ${i}`, emailaddress1: `p${i}@contoso.example` }),
    );
    const { result } = propose(
      [
        bc('c1', { Name: 'Kontoso Holding', 'E-Mail': 'ceo@contoso.example' }),
        bc('c2', { Name: 'North Wind Traders', 'E-Mail': 'x@contoso.example' }),
      ],
      [...many, dv('nw', { name: 'Northwind Traders', emailaddress1: 'y@contoso.example' })],
    );
    expect(nearOf(result.outcomes[0])).toEqual([]);
    expect(nearOf(result.outcomes[1]).map((c) => [c.dvId, c.reasons])).toEqual([
      ['nw', ["name 95% similar: 'North Wind Traders' vs 'Northwind Traders'", 'same e-mail domain']],
    ]);
  });

  it('scores a name nearly the same even when many rows share only the phone', () => {
    const samePhone = Array.from({ length: 12 }, (_, i) =>
      dv(`phone${i}`, { name: `Other ${i}`, telephone1: '425 555 0100' }),
    );
    const { result } = propose(
      [bc('c1', { Name: 'Contoso Pharmaceuticals', 'Phone No.': '+1 425 555 0100' })],
      [...samePhone, dv('name', { name: 'Contoso Pharmaceutical' })],
    );
    const near = nearOf(result.outcomes[0]);
    expect(near[0]).toMatchObject({ dvId: 'name', reasons: [expect.stringMatching(/^name 9\d% similar/)] });
    expect(near.slice(1).map((c) => c.reasons)).toEqual([['same phone digits'], ['same phone digits']]);
  });
});
