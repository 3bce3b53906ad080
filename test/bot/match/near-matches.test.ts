import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountId } from '../../../connectors/sandbox/seed-data-dv.js';
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
import { MATCH_ENV, resetWorld } from './support/world.js';

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

interface Choice {
  title: string;
  value: string;
}

/** Every node of a card, depth first. */
function nodes(card: unknown): Array<Record<string, unknown>> {
  const all: Array<Record<string, unknown>> = [];
  const walk = (n: unknown): void => {
    if (typeof n !== 'object' || n === null) return;
    if (!Array.isArray(n)) all.push(n as Record<string, unknown>);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return all;
}

/** The near picker of the row whose candidates include `dvName`, and the row's button. */
function nearRow(card: unknown, dvName: string): { button: CardButton; pickerId: string; choices: Choice[] } {
  const picker = nodes(card).find(
    (n) =>
      String(n['id']).startsWith('near:') &&
      (n['choices'] as Choice[]).some((c) => c.title.startsWith(`Near match: ${dvName},`)),
  );
  const pickerId = String(picker?.['id']);
  const button = buttonsOf(card).find(
    (b) => b.verb === Verb.matchApproveNear && `near:${String(b.data.rowId)}` === pickerId,
  );
  if (!picker || !button) throw new Error(`no near match named ${dvName}`);
  return { button, pickerId, choices: picker['choices'] as Choice[] };
}

/** The data a click sends with the candidate named `dvName` chosen in its row's picker. */
function coupleTo(card: unknown, dvName: string): { data: Record<string, unknown>; dvId: string } {
  const row = nearRow(card, dvName);
  const dvId = row.choices.find((c) => c.title.startsWith(`Near match: ${dvName},`))?.value ?? 'none';
  return { data: { ...row.button.data, [row.pickerId]: dvId }, dvId };
}

describe('near matches on the results card', () => {
  it("shows 'North Wind Traders' with Dataverse 'Northwind Traders' as a near candidate, with its score and reasons", async () => {
    const { result } = await runMatch(h, ADA);
    const text = answeredText(result);
    expect(text).toMatch(/50000 North Wind Traders\nNo match\nPriority 0: no match\n/);
    expect(text).toMatch(/Proposed: 2\n/); // a near candidate is not a proposal
    expect(text).toMatch(/With near candidates: 2/);
    expect(nearRow(result.body?.value, 'Northwind Traders').choices.map((c) => c.title)).toEqual([NEAR_LINE]);
  });

  it('a manager couples the single near pair; the run still awaits its decision, and Approve all leaves near pairs alone', async () => {
    const { result } = await runMatch(h, ADA);
    const { data, dvId } = coupleTo(result.body?.value, 'Northwind Traders');
    const done = await h.invoke(Verb.matchApproveNear, data, ADA);
    expect(messagesText(done)).toContain(
      'Coupled 50000 North Wind Traders to its near match Northwind Traders (99%).',
    );
    expect(answeredText(done)).toContain('Coupled to its near match Northwind Traders by Ada Manager');
    expect(answeredText(done)).toMatch(/Awaiting your approval/);
    expect(await h.couplings()).toEqual([{ bcNumber: '50000', dvId }]);

    const again = await h.invoke(Verb.matchApproveNear, data, ADA);
    expect(messagesText(again)).toContain(
      '50000 North Wind Traders is already coupled to its near match Northwind Traders; nothing changed.',
    );
    expect(await h.couplings()).toHaveLength(1);

    const approveAll = buttonsOf(done.body?.value).find((b) => b.title === 'Approve all');
    await h.invoke(Verb.matchApproveAll, approveAll?.data ?? {}, ADA);
    // The two proposals join the near pair; School of Fine Art's near candidate stays uncoupled.
    expect((await h.couplings()).map((c) => c.bcNumber).sort()).toEqual(['10000', '20000', '50000']);
  });

  it("a non-manager's click on a manager's button is refused by core, and nothing is coupled", async () => {
    const { result } = await runMatch(h, ADA);
    const { data } = coupleTo(result.body?.value, 'Northwind Traders');
    const refused = await h.invoke(Verb.matchApproveNear, data, BEN);
    expect(answeredText(refused)).toMatch(/Only managers can approve a near match/);
    expect(await h.couplings()).toEqual([]);
  });

  it('a non-manager sees the near candidates without picker or button', async () => {
    const { result } = await runMatch(h, BEN);
    expect(answeredText(result)).toContain(NEAR_LINE);
    expect(buttonsOf(result.body?.value).filter((b) => b.verb === Verb.matchApproveNear)).toEqual([]);
  });

  it("a chosen row that is not one of the row's near candidates is refused, and nothing is coupled", async () => {
    const { result } = await runMatch(h, ADA);
    const { data } = coupleTo(result.body?.value, 'Northwind Traders');
    const row = nearRow(result.body?.value, 'Northwind Traders');
    // School of Fine Art's candidate, sent with North Wind Traders' row.
    const forged = { ...data, [row.pickerId]: accountId('fine-art-spacing') };
    const refused = await h.invoke(Verb.matchApproveNear, forged, ADA);
    expect(answeredText(refused)).toMatch(
      /That row was not proposed as a near match of 50000 in this run\. Nothing was changed\./,
    );
    expect(await h.couplings()).toEqual([]);
  });

  it('a near pair whose Dataverse row was coupled meanwhile is refused with the reason', async () => {
    const { result } = await runMatch(h, ADA);
    const { data } = coupleTo(result.body?.value, 'Northwind Traders');
    await h.say('couple customer 30000 to account "Northwind Traders"', ADA);
    const refused = await h.invoke(Verb.matchApproveNear, data, ADA);
    expect(answeredText(refused)).toMatch(/was coupled meanwhile to Customer 30000\. Nothing was changed\./);
    expect((await h.couplings()).map((c) => c.bcNumber)).toEqual(['30000']);
  });
});
