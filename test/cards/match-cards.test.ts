import { describe, expect, it } from 'vitest';
import { renderCard } from '../../cards/render.js';
import { chosenNear, selectedRowIds, submittedCriteria } from '../../cards/inputs.js';
import type { MatchResultsCardData } from '../../cards/card-types.js';
import { criteriaOf, validateCriteria } from '../../core/match/criteria.js';
import type { IntegrationTableMapping } from '../../core/model/mapping.js';
import { click, parseCard, setInput } from './support/adaptive-dom.js';
import { customerMapping, guid, mappings, matchRun, maxData } from './support/fixtures.js';
import { nearCandidates } from './support/match-fixtures.js';
import { allText, buttonTitles, buttons, inputs, texts } from './support/walk.js';

const results = (changes: Partial<MatchResultsCardData> = {}) =>
  renderCard('matchResults', { ...maxData.matchResults(), ...changes });
const decided = (run: Parameters<typeof matchRun>[0]) => results({ run: matchRun(run) });
const by = { id: 'aad-megan', name: 'Megan Bowen' };

describe('match results card', () => {
  it('shows the counts, the page and who ran it', () => {
    const text = allText(results());
    for (const line of [
      'Proposed: 800',
      'Would create: 10',
      'No match: 100',
      'Several matches: 50',
      'Match already coupled: 20',
      'Skipped: 20',
      'Total: 1000',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toContain('Run by Alex Wilber at 2024-05-01 10:12 UTC');
    expect(text).toContain('Page 2 of 40');
  });

  it('shows each row with its proposal and the priority group that matched, or why none did', () => {
    const text = allText(results());
    expect(text).toContain('Priority 1: Name = Adatum Corporation, City = Atlanta');
    expect(text).toContain('New account');
    expect(text).toContain('3 matches');
    expect(text).toContain('Priority 0: match already coupled (proposed for 10000)');
    expect(text).toContain('Priority 0: no match; Priority 1: fields empty');
    expect(text).toContain('Already coupled');
  });

  it('gives a manager a checkbox per proposal (not for rows without one) and the three decisions', () => {
    const card = results();
    const toggles = inputs(card)
      .map((i) => i['id'])
      .filter((id) => String(id).startsWith('row:'));
    const rows = maxData.matchResults().rows.rows;
    const approvable = rows.filter((r) => r.outcome.kind === 'proposed' || r.outcome.kind === 'wouldCreate');
    expect(toggles).toEqual(approvable.map((r) => `row:${r.rowId}`));
    const withNear = rows.filter(
      (r) => (r.outcome.kind === 'noMatch' || r.outcome.kind === 'wouldCreate') && r.outcome.near?.length,
    );
    expect(buttonTitles(card)).toEqual([
      ...withNear.map(() => 'Couple to this near match'),
      'Approve selected',
      'Approve all',
      'Reject',
      'Previous',
      'Next',
    ]);
  });

  it('offers a manager the near candidates of a record nothing matched as a picker, best first, with score and reasons', () => {
    const card = results();
    const row = maxData.matchResults().rows.rows[4]!;
    const near = row.outcome.kind === 'noMatch' ? row.outcome.near! : [];
    expect(near).toHaveLength(3);
    const picker = inputs(card).find((i) => i['id'] === `near:${row.rowId}`);
    expect(picker?.['value']).toBe(near[0]!.dvId);
    expect(picker?.['choices']).toEqual(
      near.map((c) => ({
        title: `Near match: ${c.dvName}, ${c.score}% (${c.reasons.join('; ')})`,
        value: c.dvId,
      })),
    );
    expect(allText(card)).toContain('With near candidates: 7');
  });

  it('Couple to this near match sends the run, the row, the chosen candidate and the page to come back to', () => {
    const parsed = parseCard(results());
    const row = maxData.matchResults().rows.rows[1]!;
    const second = row.outcome.kind === 'wouldCreate' ? row.outcome.near![1]! : null;
    setInput(parsed, `near:${row.rowId}`, second!.dvId);
    const sent = click(parsed, 'Couple to this near match');
    expect(sent).toMatchObject({
      verb: 'ca.match.approveNear',
      runId: matchRun().id,
      rowId: row.rowId,
      page: 1,
      kind: '',
    });
    expect(chosenNear(sent, row.rowId)).toBe(second!.dvId);
  });

  it('shows near candidates to a non-manager as plain lines, without picker or button', () => {
    const card = results({ canDecide: false });
    expect(texts(card).some((t) => t.startsWith('Near match: '))).toBe(true);
    expect(inputs(card)).toEqual([]);
    expect(buttons(card).filter((b) => b['verb'] === 'ca.match.approveNear')).toEqual([]);
  });

  it('after a near pair was coupled shows who coupled it, and no picker for that row', () => {
    const base = maxData.matchResults();
    const rows = base.rows.rows.map((r, i) =>
      i === 4
        ? {
            ...r,
            nearApproved: {
              dvId: guid(3014),
              dvName: 'Northwind Traders',
              by,
              at: new Date('2024-05-02T09:30:00Z'),
            },
          }
        : r,
    );
    const card = results({ rows: { ...base.rows, rows } });
    expect(texts(card)).toContain('Coupled to its near match Northwind Traders by Megan Bowen');
    expect(inputs(card).map((i) => i['id'])).not.toContain(`near:${rows[4]!.rowId}`);
  });

  it('stays under the Teams size limit with 25 records of three near candidates each', () => {
    const base = maxData.matchResults();
    const rows = base.rows.rows.map((r, i) => ({
      rowId: r.rowId,
      outcome: { kind: 'noMatch' as const, bc: r.outcome.bc, attempts: [], near: nearCandidates(i + 100) },
    }));
    const card = results({ rows: { ...base.rows, rows } });
    expect(buttons(card)).toHaveLength(25 + 5);
    // Room is left for the seal the bot adds to each button's data (and its fallback's).
    expect(JSON.stringify(card).length + 30 * 2 * 120).toBeLessThan(80 * 1024);
  });

  it('shows a non-manager the rows and paging, but no checkboxes and no decision buttons', () => {
    const card = results({ canDecide: false });
    expect(inputs(card)).toEqual([]);
    expect(buttonTitles(card)).toEqual(['Previous', 'Next']);
    expect(texts(card)).toContain('Awaiting approval by a manager.');
  });

  it('sends the ticked rows with Approve selected', () => {
    const parsed = parseCard(results());
    const [first, second] = inputs(results()).map((i) => String(i['id']));
    setInput(parsed, first!, true);
    setInput(parsed, second!, true);
    const sent = click(parsed, 'Approve selected');
    expect(sent['verb']).toBe('ca.match.approveSelected');
    expect(sent['runId']).toBe(matchRun().id);
    expect(selectedRowIds(sent)).toEqual([first!.slice(4), second!.slice(4)]);
  });

  it.each([
    [0, 3, ['Next']],
    [1, 3, ['Previous', 'Next']],
    [2, 3, ['Previous']],
    [0, 1, []],
  ])('on page %i of %i pages offers paging %j', (page, pages, paging) => {
    const card = results({ canDecide: false, rows: { ...maxData.matchResults().rows, page, pages } });
    expect(buttonTitles(card)).toEqual(paging);
    for (const b of buttons(card)) {
      expect(b['data']).toEqual({
        verb: 'ca.match.page',
        runId: matchRun().id,
        page: b['title'] === 'Next' ? page + 1 : page - 1,
        kind: '',
      });
    }
  });

  it.each([
    [
      {
        status: 'Approved',
        decidedBy: by,
        decidedAt: new Date('2024-05-02T09:30:00Z'),
        applied: { coupled: 798, created: 0, skipped: 0, failed: 2 },
      },
      'Approved by Megan Bowen at 2024-05-02 09:30 UTC: 798 coupled, 2 failed',
    ],
    [
      { status: 'Applying', decidedBy: by, decidedAt: new Date('2024-05-02T09:30:00Z') },
      'Approved by Megan Bowen at 2024-05-02 09:30 UTC: applying…',
    ],
    [
      { status: 'Rejected', decidedBy: by, decidedAt: new Date('2024-05-02T09:30:00Z') },
      'Rejected by Megan Bowen at 2024-05-02 09:30 UTC',
    ],
    [{ status: 'Expired' }, 'Expired without a decision; nothing was coupled.'],
  ] as const)(
    'after a decision (%j) shows "%s" to everyone, with no buttons and no checkboxes',
    (run, line) => {
      const card = decided(run as Parameters<typeof matchRun>[0]);
      expect(texts(card)).toContain(line);
      expect(buttons(card)).toEqual([]);
      expect(inputs(card)).toEqual([]);
    },
  );

  it('refuses a page beyond the last', () => {
    expect(() => results({ rows: { ...maxData.matchResults().rows, page: 40, pages: 40 } })).toThrow(
      /matchResults.*rows\.page/,
    );
  });
});

const criteriaCard = (mapping: IntegrationTableMapping) =>
  renderCard('matchCriteria', { ...mapping, criteria: criteriaOf(mapping) });

describe('match criteria card', () => {
  it('offers Match, Case-sensitive and Priority for every field without a constant', () => {
    const card = criteriaCard(customerMapping);
    const fields = criteriaOf(customerMapping).fields;
    const ids = inputs(card).map((i) => i['id']);
    for (const f of fields)
      expect(ids).toEqual(
        expect.arrayContaining([`match:${f.bcField}`, `case:${f.bcField}`, `priority:${f.bcField}`]),
      );
    expect(buttonTitles(card)).toEqual(['Run', 'Reset Criteria', 'Cancel']);
  });

  it.each([
    ['Bidirectional', true, true],
    ['ToIntegrationTable', true, false],
    ['FromIntegrationTable', false, false],
  ] as const)(
    'for a %s mapping shows Create New: %s, Resolve Update Conflicts: %s',
    (direction, createNew, conflicts) => {
      const ids = inputs(criteriaCard({ ...customerMapping, direction })).map((i) => i['id']);
      expect(ids.includes('createNew')).toBe(createNew);
      expect(ids.includes('resolveUpdateConflicts')).toBe(conflicts);
      expect(ids).toContain('syncAfterCoupling');
    },
  );

  it('sends what the user set, which core accepts as the new criteria', () => {
    const mapping = { ...customerMapping, direction: 'Bidirectional' as const };
    const parsed = parseCard(criteriaCard(mapping));
    const field = criteriaOf(mapping).fields[1]!;
    setInput(parsed, `match:${field.bcField}`, true);
    setInput(parsed, `case:${field.bcField}`, true);
    setInput(parsed, `priority:${field.bcField}`, '3');
    setInput(parsed, 'resolveUpdateConflicts', 'Get Update from Integration');
    const sent = click(parsed, 'Run');
    expect(sent).toMatchObject({ verb: 'ca.match.run', mapping: mapping.name });
    const criteria = validateCriteria(mapping, submittedCriteria(sent));
    const expected = criteriaOf(mapping);
    expected.fields[1] = { ...field, match: true, caseSensitive: true, priority: 3 };
    expect(criteria).toEqual({ ...expected, resolveUpdateConflicts: 'Get Update from Integration' });
  });

  it('round-trips the saved criteria of every default mapping unchanged', () => {
    for (const mapping of mappings) {
      const parsed = parseCard(criteriaCard(mapping));
      if (!criteriaOf(mapping).fields.some((f) => f.match)) continue;
      expect(validateCriteria(mapping, submittedCriteria(click(parsed, 'Run')))).toEqual(criteriaOf(mapping));
    }
  });

  it('Reset Criteria and Cancel send no inputs; Reset keeps the records the run is limited to', () => {
    const parsed = parseCard(criteriaCard(customerMapping));
    expect(click(parsed, 'Reset Criteria')).toEqual({
      type: 'Action.Execute',
      verb: 'ca.match.resetCriteria',
      mapping: 'CUSTOMER',
      scope: '',
    });
    expect(click(parsed, 'Cancel')).toEqual({ type: 'Action.Execute', verb: 'ca.cancel' });
  });
});

describe('import report card', () => {
  it('reports accepted and rejected rows with line and reason, and offers a match run per mapping', () => {
    const card = renderCard('importReport', maxData.importReport());
    const text = texts(card);
    expect(text).toContain('480 rows inserted, 120 rejected.');
    expect(text).toContain('Line 2: name is required; telephone1 must be at most 50 characters');
    expect(text.filter((t) => t.startsWith('Line '))).toHaveLength(50);
    expect(text).toContain('…and 70 more rejected rows.');
    expect(buttons(card).map((b) => [b['title'], b['data']])).toEqual([
      ['Match CUSTOMER', { verb: 'ca.match.run', mapping: 'CUSTOMER' }],
      ['Match VENDOR', { verb: 'ca.match.run', mapping: 'VENDOR' }],
    ]);
  });

  it('offers no match run when it may not be run', () => {
    const card = renderCard('importReport', { ...maxData.importReport(), canRunMatch: false });
    expect(buttons(card)).toEqual([]);
  });
});
