import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { button, buttonsOf, cardOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import {
  answeredText,
  messagesText,
  runMatch,
  startMatchHarness,
  Verb,
  type MatchHarness,
} from './support/match-harness.js';
import { MATCH_ENV, resetWorld, storedRuns } from './support/world.js';

let h: MatchHarness;
beforeAll(async () => {
  h = await startMatchHarness(MATCH_ENV);
});
afterAll(() => h.close());
beforeEach(() => resetWorld(h));

const DECIDE = ['Approve selected', 'Approve all', 'Reject'];
/** Matching on City alone: two unique matches, three cities shared by several accounts. */
const CITY_RESULTS =
  /Proposed: 2\nWould create: 0\nNo match: 0\nSeveral matches: 3[\s\S]*30000 School of Fine Art(: false)?\nSchool {2}of Fine Art\nPriority 0: City = Miami/;
const titles = (card: unknown) => buttonsOf(card).map((b) => b.title);

describe('match <entities>: the Match-Based Coupling dialog', () => {
  it.each([
    ['match customers', /^Match-Based Coupling\nCUSTOMER · Customer ↔ account/, true, true],
    ['match vendors', /^Match-Based Coupling\nVENDOR · Vendor ↔ account/, true, true],
    ['match ITEM-PRODUCT', /^Match-Based Coupling\nITEM-PRODUCT · Item ↔ product/, true, false],
    [
      'match salespeople',
      /^Match-Based Coupling\nSALESPEOPLE · Salesperson\/Purchaser ↔ systemuser/,
      false,
      false,
    ],
  ])(
    '%s shows the criteria per field and the options the direction allows',
    async (says, heading, createNew, conflicts) => {
      const card = cardOf((await h.say(says, BEN))[0]);
      const text = cardText(card);
      expect(text).toMatch(heading);
      expect(text).toMatch(/Match on this Field: (true|false)\nCase-sensitive Matching: (true|false)/);
      expect(JSON.stringify(card)).toMatch(/"type":"Input.Number","id":"priority:[^"]+"/);
      expect(text.includes('Create New If Unable to Find a Match'), 'Create New').toBe(createNew);
      expect(text.includes('Send Update to Integration'), 'Resolve Update Conflicts').toBe(conflicts);
      expect(text).toContain('Yes - Use the Business Central data');
      expect(titles(card)).toEqual(['Run', 'Reset Criteria', 'Cancel']);
    },
  );

  it('names the mappings when the table is unknown', async () => {
    expect(cardText(cardOf((await h.say('match planets', BEN))[0]))).toMatch(
      /There is no table mapping "PLANETS". The mappings are: CUSTOMER, VENDOR/,
    );
  });
});

describe('Run: a proposal with counts and rows; nothing is coupled before approval', () => {
  it('a manager gets the results card with the decision buttons', async () => {
    const { result } = await runMatch(h, ADA);
    expect(result.status).toBe(200);
    const text = answeredText(result);
    expect(text).toMatch(/^Match-Based Coupling: CUSTOMER\nRun by Ada Manager at 2025-03-03 09:00 UTC/);
    expect(text).toMatch(
      /Proposed: 2\nWould create: 0\nNo match: 2\nSeveral matches: 1\nMatch already coupled: 0\nSkipped: 1\nTotal: 6/,
    );
    expect(text).toMatch(/Awaiting your approval/);
    expect(text).toMatch(
      /10000 Adatum Corporation: false\nAdatum Corporation\nPriority 0: Name = Adatum Corporation/,
    );
    expect(text).toMatch(/40000 Alpine Ski House\n2 matches\nPriority 0: 2 matches/);
    expect(text).toMatch(/60000 Coho Winery\nSkipped\nOutside the table mapping filter/);
    // School of Fine Art has no match, but Dataverse's "School  of Fine Art" is its near candidate.
    expect(text).toMatch(/Total: 6\nWith near candidates: 1/);
    expect(titles(result.body?.value)).toEqual(['Couple to this near match', ...DECIDE]);
    expect(await h.couplings()).toEqual([]);
  });

  it('a user who is not a manager sees the same results without decision buttons', async () => {
    const { result } = await runMatch(h, BEN);
    const text = answeredText(result);
    expect(text).toMatch(/Proposed: 2[\s\S]*Awaiting approval by a manager\./);
    expect(text).toMatch(/10000 Adatum Corporation\nAdatum Corporation/);
    expect(titles(result.body?.value)).toEqual([]);
  });

  it('a manager’s changed criteria are saved on the mapping and used', async () => {
    const { result } = await runMatch(h, ADA, {
      'match:Name': 'false',
      'match:City': 'true',
      'priority:City': '',
    });
    expect(answeredText(result)).toMatch(CITY_RESULTS);
    const criteria = cardText(cardOf((await h.say('match customers', BEN))[0]));
    expect(criteria).toMatch(/Name ↔ name\nMatch on this Field: false/);
    expect(criteria).toMatch(/City ↔ address1_city\nMatch on this Field: true/);
  });

  it('a non-manager’s changed criteria are used for this run only, and the mapping keeps its own', async () => {
    const { result } = await runMatch(h, BEN, { 'match:Name': 'false', 'match:City': 'true' });
    expect(answeredText(result)).toMatch(CITY_RESULTS);
    expect(messagesText(result)).toMatch(/used for this run only: only managers can save match criteria/);
    const criteria = cardText(cardOf((await h.say('match customers', BEN))[0]));
    expect(criteria).toMatch(/Name ↔ name\nMatch on this Field: true/);
    expect(criteria).toMatch(/City ↔ address1_city\nMatch on this Field: false/);
  });

  it.each([
    [
      { 'priority:City': 'abc' },
      /City: Match Priority must be a whole number from 0 to 1000 \(blank = 0\)\. Nothing was saved\./,
    ],
    [{ 'priority:Name': '5000' }, /Name: Match Priority must be a whole number from 0 to 1000/],
    [{ 'match:Name': 'maybe' }, /Name: /],
    [{ 'match:Name': 'false' }, /You must specify which fields/],
    [{ 'match:Planet': 'true' }, /Table mapping CUSTOMER has no field "Planet"\. Nothing was saved\./],
    [{ syncAfterCoupling: 'Sometimes' }, /syncAfterCoupling/],
  ])(
    'bad criteria %j: the dialog comes back with the reason; nothing is saved or run',
    async (inputs, message) => {
      for (const user of [ADA, BEN]) {
        const before = await storedRuns(h);
        const { result } = await runMatch(h, user, inputs);
        expect(answeredText(result)).toMatch(/^Match-Based Coupling\nCUSTOMER/);
        expect(messagesText(result)).toMatch(message);
        expect(await storedRuns(h)).toBe(before);
        expect(cardText(cardOf((await h.say('match customers', BEN))[0]))).toMatch(
          /Name ↔ name\nMatch on this Field: true\nCase-sensitive Matching: false[\s\S]*City ↔ address1_city\nMatch on this Field: false/,
        );
      }
    },
  );

  it('Reset Criteria puts back the default match settings (manager only; others are told so)', async () => {
    await runMatch(h, ADA, { 'match:City': 'true' });
    const refused = await h.invoke(
      Verb.matchResetCriteria,
      button(cardOf((await h.say('match customers', BEN))[0]), 'Reset Criteria').data,
      BEN,
    );
    expect(answeredText(refused)).toMatch(/City ↔ address1_city\nMatch on this Field: true/);
    expect(messagesText(refused)).toMatch(/Only managers can change table mappings/);
    const card = cardOf((await h.say('match customers', ADA))[0]);
    const reset = await h.invoke(Verb.matchResetCriteria, button(card, 'Reset Criteria').data, ADA);
    expect(answeredText(reset)).toMatch(/City ↔ address1_city\nMatch on this Field: false/);
    expect(cardText(cardOf((await h.say('match customers', BEN))[0]))).toMatch(
      /City ↔ address1_city\nMatch on this Field: false/,
    );
  });
});
