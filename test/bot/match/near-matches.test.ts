import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCardSeal } from '../../../bot/card-seal.js';
import { buttonsOf, type CardButton } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import {
  answeredText,
  messagesText,
  runMatch,
  startMatchHarness,
  Verb,
  type MatchHarness,
} from './support/match-harness.js';
import { MATCH_ENV, resetWorld, SEAL_SECRET } from './support/world.js';

let h: MatchHarness;
beforeAll(async () => {
  h = await startMatchHarness(MATCH_ENV);
});
afterAll(() => h.close());
beforeEach(async () => {
  await resetWorld(h);
  // Customer 50000 (Relecloud, no account of this company) is renamed; Dataverse gets the spelling it lacks.
  await h.say('sandbox edit customer 50000 name="North Wind Traders" phone="+1 425 555 0199"', ADA);
  await h.say('sandbox add account name="Northwind Traders" telephone1="(425) 555-0199"', ADA);
});

const NEAR_LINE =
  "Near match: Northwind Traders, 99% (name 95% similar: 'North Wind Traders' vs 'Northwind Traders'; same phone digits)";

/** The Couple button beside the near candidate line naming `dvName` (each line and its button share a ColumnSet). */
function coupleButton(card: unknown, dvName: string): CardButton {
  let found: CardButton | undefined;
  const walk = (n: unknown): void => {
    if (found || typeof n !== 'object' || n === null) return;
    const node = n as Record<string, unknown>;
    Object.values(node).forEach(walk); // innermost first: a row's ColumnSet holds all its candidates
    if (!found && node['type'] === 'ColumnSet' && JSON.stringify(node).includes(`"Near match: ${dvName},`))
      found = buttonsOf({ body: [node] }).find((b) => b.verb === Verb.matchApproveNear);
  };
  walk(card);
  if (!found) throw new Error(`no Couple button for ${dvName}`);
  return found;
}

const sealed = (verb: string, data: Record<string, unknown>): Record<string, unknown> => {
  const card = createCardSeal(SEAL_SECRET).seal({
    type: 'AdaptiveCard',
    actions: [{ type: 'Action.Execute', verb, data }],
  });
  return (card.actions as Array<{ data: Record<string, unknown> }>)[0]?.data ?? {};
};

describe('near matches on the results card', () => {
  it("shows 'North Wind Traders' with Dataverse 'Northwind Traders' as a near candidate, with its score and reasons", async () => {
    const { result } = await runMatch(h, ADA);
    const text = answeredText(result);
    expect(text).toMatch(/50000 North Wind Traders\nNo match\nPriority 0: no match\n/);
    expect(text).toContain(NEAR_LINE);
    expect(text).toMatch(/Proposed: 2\n/); // a near candidate is not a proposal
    expect(text).toMatch(/With near candidates: 2/);
  });

  it('a manager couples the single near pair; the run still awaits its decision, and Approve all leaves near pairs alone', async () => {
    const { result } = await runMatch(h, ADA);
    const couple = coupleButton(result.body?.value, 'Northwind Traders');
    const done = await h.invoke(couple.verb, couple.data, ADA);
    expect(messagesText(done)).toContain(
      'Coupled 50000 North Wind Traders to its near match Northwind Traders (99%).',
    );
    expect(answeredText(done)).toContain('Coupled to its near match Northwind Traders by Ada Manager');
    expect(answeredText(done)).toMatch(/Awaiting your approval/);
    expect(await h.couplings()).toEqual([{ bcNumber: '50000', dvId: couple.data.dvId }]);

    const again = await h.invoke(couple.verb, couple.data, ADA);
    expect(messagesText(again)).toContain(
      'is already coupled to its near match Northwind Traders; nothing changed.',
    );
    expect(await h.couplings()).toHaveLength(1);

    const approveAll = buttonsOf(done.body?.value).find((b) => b.title === 'Approve all');
    await h.invoke(Verb.matchApproveAll, approveAll?.data ?? {}, ADA);
    // The two proposals join the near pair; School of Fine Art's near candidate stays uncoupled.
    expect((await h.couplings()).map((c) => c.bcNumber).sort()).toEqual(['10000', '20000', '50000']);
  });

  it("a non-manager's click on a manager's Couple button is refused by core, and nothing is coupled", async () => {
    const { result } = await runMatch(h, ADA);
    const couple = coupleButton(result.body?.value, 'Northwind Traders');
    const refused = await h.invoke(couple.verb, couple.data, BEN);
    expect(answeredText(refused)).toMatch(/Only managers can approve a near match/);
    expect(await h.couplings()).toEqual([]);
  });

  it('a non-manager sees the near candidates without Couple buttons', async () => {
    const { result } = await runMatch(h, BEN);
    expect(answeredText(result)).toContain(NEAR_LINE);
    expect(buttonsOf(result.body?.value).filter((b) => b.verb === Verb.matchApproveNear)).toEqual([]);
  });

  it('a validly sealed click naming a row that was not proposed as near is refused, and nothing is coupled', async () => {
    const { result } = await runMatch(h, ADA);
    const couple = coupleButton(result.body?.value, 'Northwind Traders');
    const { _k, _s, verb, ...data } = couple.data;
    const otherAccount = buttonsOf(result.body?.value).find(
      (b) => b.verb === Verb.matchApproveNear && b.data.dvId !== couple.data.dvId,
    );
    const forged = sealed(Verb.matchApproveNear, { ...data, dvId: otherAccount?.data.dvId });
    const refused = await h.invoke(Verb.matchApproveNear, forged, ADA);
    expect(answeredText(refused)).toMatch(
      /was not proposed as a near match of 50000 in this run\. Nothing was changed\./,
    );
    expect(await h.couplings()).toEqual([]);
    void _k;
    void _s;
    void verb;
  });

  it('a near pair whose Dataverse row was coupled meanwhile is refused with the reason', async () => {
    const { result } = await runMatch(h, ADA);
    const couple = coupleButton(result.body?.value, 'Northwind Traders');
    await h.say('couple customer 30000 to account "Northwind Traders"', ADA);
    const refused = await h.invoke(couple.verb, couple.data, ADA);
    expect(answeredText(refused)).toMatch(/was coupled meanwhile to Customer 30000\. Nothing was changed\./);
    expect((await h.couplings()).map((c) => c.bcNumber)).toEqual(['30000']);
  });
});
