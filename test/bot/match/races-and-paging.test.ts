import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FORGED_DATA } from '../../../bot/actions/action.js';
import { button, buttonsOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN, TENANT, teamsExecute } from '../teams-activity.js';
import {
  answeredText,
  runIdOf,
  runMatch,
  SERVICE_URL,
  startMatchHarness,
  Verb,
  type MatchHarness,
} from './support/match-harness.js';
import { addMatchingPairs, CAROL, MATCH_ENV, resetWorld, sealedData } from './support/world.js';

let h: MatchHarness;
beforeAll(async () => {
  h = await startMatchHarness(MATCH_ENV);
});
afterAll(() => h.close());
beforeEach(() => resetWorld(h));

describe('20 approvals of one run at once, through the adapter', () => {
  it('exactly one applies; every other click is told who approved it', async () => {
    const { result } = await runMatch(h, ADA);
    const approve = button(result.body?.value, 'Approve all');
    h.adapter.activeQueue.splice(0);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.adapter.processActivity(
          teamsExecute(approve.verb, approve.data, {
            serviceUrl: SERVICE_URL,
            user: i % 2 ? ADA : CAROL,
            tenantId: TENANT,
          }),
        ),
      ),
    );
    await h.idle();
    const answers = h.adapter.activeQueue.filter((a) => a.type === 'invokeResponse');
    const notes = h.adapter.activeQueue.filter((a) => a.type === 'message').map((a) => a.text ?? '');
    expect(answers).toHaveLength(20);
    expect(notes).toHaveLength(19);
    const winner = notes[0]?.match(/already approved by ((Ada|Carol) Manager)/)?.[1];
    expect(
      notes.every((n) => n === `This match run was already approved by ${winner} at 2025-03-03 09:00 UTC.`),
    ).toBe(true);
    // A click while the winner is still applying sees "applying…"; the winner's card has the counts.
    const shown = answers.map((a) => cardText((a.value as { body?: { value?: unknown } }).body?.value));
    for (const text of shown)
      expect(text).toMatch(new RegExp(`Approved by ${winner} at .*: (applying…|2 coupled, 0 failed)`));
    expect(shown.filter((t) => t.includes('2 coupled, 0 failed')).length).toBeGreaterThanOrEqual(1);
    for (const a of answers)
      expect(buttonsOf((a.value as { body?: { value?: unknown } }).body?.value)).toEqual([]);
    expect(await h.couplings()).toHaveLength(2);
    const jobs = await h.db.db.collection('jobs').find({ type: 'Coupling' }).toArray();
    expect(jobs.map((j) => [j.status, j.counters.coupled, j.startedBy])).toEqual([['Finished', 2, winner]]);
  });
});

describe('paging through the rows', () => {
  it('Next and Previous show the other pages; the decision buttons stay', async () => {
    await addMatchingPairs(h, 30);
    const { result } = await runMatch(h, ADA);
    const first = result.body?.value;
    expect(cardText(first)).toMatch(/Proposed: 32[\s\S]*Total: 36[\s\S]*Page 1 of 2/);
    expect(buttonsOf(first).map((b) => b.title)).toEqual([
      'Approve selected',
      'Approve all',
      'Reject',
      'Next',
    ]);
    const second = await h.invoke(Verb.matchPage, button(first, 'Next').data, ADA);
    expect(answeredText(second)).toMatch(/Page 2 of 2[\s\S]*Paging Customer 029: false/);
    expect(answeredText(second)).toMatch(/60000 Coho Winery\nSkipped/);
    // School of Fine Art, on this page, has a near candidate and its button.
    expect(buttonsOf(second.body?.value).map((b) => b.title)).toEqual([
      'Couple to this near match',
      'Approve selected',
      'Approve all',
      'Reject',
      'Previous',
    ]);
    const back = await h.invoke(Verb.matchPage, button(second.body?.value, 'Previous').data, BEN);
    expect(answeredText(back)).toMatch(/Page 1 of 2[\s\S]*10000 Adatum Corporation\nAdatum Corporation/);
    expect(buttonsOf(back.body?.value).map((b) => b.title)).toEqual(['Next']);
  });

  it('a page past the end shows the last page; one kind of rows can be paged alone', async () => {
    await addMatchingPairs(h, 30);
    const { result } = await runMatch(h, ADA);
    const runId = runIdOf(result.body?.value);
    const far = await h.invoke(
      Verb.matchPage,
      sealedData(Verb.matchPage, { runId, page: 99_999, kind: '' }),
      ADA,
    );
    expect(answeredText(far)).toMatch(/Page 2 of 2/);
    const negative = await h.invoke(
      Verb.matchPage,
      sealedData(Verb.matchPage, { runId, page: -3, kind: '' }),
      ADA,
    );
    expect(answeredText(negative)).toMatch(/Page 1 of 2/);
    const noMatch = await h.invoke(
      Verb.matchPage,
      sealedData(Verb.matchPage, { runId, page: 0, kind: 'noMatch' }),
      ADA,
    );
    expect(answeredText(noMatch)).toMatch(
      /Page 1 of 1\n30000 School of Fine Art\nNo match\nPriority 0: no match\n(Near match: .*\n)*50000 Relecloud\nNo match\nPriority 0: no match$/,
    );
  });

  it.each([
    ['a tampered page number (seal broken)', { page: 0 }, false, FORGED_DATA],
    ['an unknown kind of row', { kind: 'everything' }, true, FORGED_DATA],
    ['a run id that is not one', { runId: { $ne: null } }, true, FORGED_DATA],
    [
      'an unknown run',
      { runId: '5f0c0000-0000-4000-8000-000000000000' },
      true,
      'That match run does not exist',
    ],
  ])('paging with %s is refused', async (_what, change, reseal, message) => {
    await addMatchingPairs(h, 30);
    const { result } = await runMatch(h, ADA);
    const next = button(result.body?.value, 'Next').data;
    const data = reseal
      ? sealedData(Verb.matchPage, { runId: next.runId, page: 1, kind: '', ...change })
      : { ...next, ...change };
    const refused = await h.invoke(Verb.matchPage, data, ADA);
    expect(answeredText(refused)).toContain(message.slice(0, 60));
  });
});
