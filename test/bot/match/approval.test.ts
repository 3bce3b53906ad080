import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountId } from '../../../connectors/sandbox/seed-data-dv.js';
import { button, buttonsOf, cardOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import {
  answeredText,
  messagesText,
  runIdOf,
  runMatch,
  startMatchHarness,
  Verb,
  type MatchHarness,
} from './support/match-harness.js';
import { CAROL, MATCH_ENV, resetWorld, rowIdOfKind } from './support/world.js';

let h: MatchHarness;
beforeAll(async () => {
  h = await startMatchHarness(MATCH_ENV);
});
afterAll(() => h.close());
beforeEach(() => resetWorld(h));

const DECIDE = ['Approve selected', 'Approve all', 'Reject'];
const titles = (card: unknown) => buttonsOf(card).map((b) => b.title);

describe('approval: manager only, exactly once', () => {
  it('Approve all couples the proposals; the card shows who, when and the counts, with no buttons', async () => {
    const { result } = await runMatch(h, ADA);
    const approved = await h.invoke(
      Verb.matchApproveAll,
      button(result.body?.value, 'Approve all').data,
      ADA,
    );
    expect(answeredText(approved)).toMatch(
      /Approved by Ada Manager at 2025-03-03 09:00 UTC: 2 coupled, 0 failed/,
    );
    expect(titles(approved.body?.value)).toEqual([]);
    expect(await h.couplings()).toEqual([
      { bcNumber: '10000', dvId: accountId('adatum') },
      { bcNumber: '20000', dvId: accountId('trey-lowercase') },
    ]);
    expect(cardText(cardOf((await h.say('show customer 10000', BEN))[0]))).toMatch(
      /Coupled to account Adatum Corporation/,
    );
  });

  it('a user who is not a manager clicking a manager’s buttons is refused by core; nothing is coupled', async () => {
    const { result } = await runMatch(h, ADA);
    for (const title of DECIDE) {
      const b = button(result.body?.value, title);
      const refused = await h.invoke(b.verb, { ...b.data, [rowInput(result.body?.value)]: 'true' }, BEN);
      expect(answeredText(refused)).toMatch(/Only managers can (approve|reject) match-based coupling/);
    }
    expect(await h.couplings()).toEqual([]);
    expect(
      answeredText(await h.invoke(Verb.matchApproveAll, button(result.body?.value, 'Approve all').data, ADA)),
    ).toMatch(/Approved by Ada Manager/);
  });

  it('Approve selected couples only the ticked rows', async () => {
    const { result } = await runMatch(h, ADA);
    const card = result.body?.value;
    const approved = await h.invoke(
      Verb.matchApproveSelected,
      { ...button(card, 'Approve selected').data, [rowInput(card, 1)]: 'true' },
      ADA,
    );
    expect(answeredText(approved)).toMatch(/Approved by Ada Manager at .*: 1 coupled, 0 failed/);
    expect(await h.couplings()).toEqual([{ bcNumber: '20000', dvId: accountId('trey-lowercase') }]);
  });

  it.each([
    [
      'a row id of no run',
      { 'row:99:5f0c0000-0000-4000-8000-000000000000': 'true' },
      /is not a row of this match run\. Nothing was applied\./,
    ],
    [
      'a position with another record',
      { 'row:0:9d83a0d2-0000-4000-8000-000000000000': 'true' },
      /is not a row of this match run/,
    ],
    [
      'a row without a proposal',
      'several',
      /Row 40000 has no proposal to approve \(severalMatches\)\. Nothing was applied\./,
    ],
    [
      'no ticked row',
      {},
      /No rows were ticked\. Tick the rows to approve, or use Approve all\. Nothing was applied\./,
    ],
    ['an operator object', { 'row:{"$ne":null}': 'true' }, /is not a row of this match run/],
  ])('Approve selected with %s is refused and nothing is applied', async (_what, rows, message) => {
    const { result } = await runMatch(h, ADA);
    const card = result.body?.value;
    const ticked =
      rows === 'several'
        ? { [`row:${await rowIdOfKind(h, runIdOf(card), 'severalMatches')}`]: 'true' }
        : rows;
    const refused = await h.invoke(
      Verb.matchApproveSelected,
      { ...button(card, 'Approve selected').data, ...ticked },
      ADA,
    );
    expect(answeredText(refused)).toMatch(message);
    expect(await h.couplings()).toEqual([]);
    expect(answeredText(await h.invoke(Verb.matchReject, button(card, 'Reject').data, ADA))).toMatch(
      /Rejected by Ada/,
    );
  });

  it('Reject couples nothing; a later approval is told who rejected it', async () => {
    const { result } = await runMatch(h, ADA);
    const card = result.body?.value;
    const rejected = await h.invoke(Verb.matchReject, button(card, 'Reject').data, ADA);
    expect(answeredText(rejected)).toMatch(/Rejected by Ada Manager at 2025-03-03 09:00 UTC/);
    expect(titles(rejected.body?.value)).toEqual([]);
    const late = await h.invoke(Verb.matchApproveAll, button(card, 'Approve all').data, CAROL);
    expect(messagesText(late)).toBe(
      'This match run was already rejected by Ada Manager at 2025-03-03 09:00 UTC.',
    );
    expect(await h.couplings()).toEqual([]);
  });

  it('a double click, or a second manager, gets "already approved by X at T" and the decided card', async () => {
    const { result } = await runMatch(h, ADA);
    const approveAll = button(result.body?.value, 'Approve all');
    await h.invoke(approveAll.verb, approveAll.data, ADA);
    for (const user of [ADA, CAROL]) {
      const again = await h.invoke(approveAll.verb, approveAll.data, user);
      expect(again.status).toBe(200);
      expect(answeredText(again)).toMatch(
        /Approved by Ada Manager at 2025-03-03 09:00 UTC: 2 coupled, 0 failed/,
      );
      expect(titles(again.body?.value)).toEqual([]);
      expect(messagesText(again)).toBe(
        'This match run was already approved by Ada Manager at 2025-03-03 09:00 UTC.',
      );
    }
    expect(await h.couplings()).toHaveLength(2);
  });

  it('a run nobody decided in MATCH_RUN_TTL_HOURS has expired: nothing is coupled', async () => {
    const { result } = await runMatch(h, ADA);
    h.clock.advanceHours(73);
    try {
      const late = await h.invoke(Verb.matchApproveAll, button(result.body?.value, 'Approve all').data, ADA);
      expect(answeredText(late)).toMatch(/Expired without a decision; nothing was coupled\./);
      expect(titles(late.body?.value)).toEqual([]);
      expect(messagesText(late)).toMatch(
        /This match run expired at 2025-03-06 09:00 UTC without a decision; nothing was coupled\. Run "match" again/,
      );
      expect(await h.couplings()).toEqual([]);
    } finally {
      h.clock.advanceHours(-73);
    }
  });
});

/** The id of a row's checkbox on a results card (row inputs are `row:<rowId>`). */
function rowInput(card: unknown, index = 0): string {
  const ids = [...JSON.stringify(card).matchAll(/"id":"(row:[^"]+)"/g)].map((m) => m[1]);
  const id = ids[index];
  if (!id) throw new Error('no row checkbox on the card');
  return id;
}
