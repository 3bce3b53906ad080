import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { button, cardOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import {
  answeredText,
  messagesText,
  runMatch,
  startMatchHarness,
  Verb,
  type MatchHarness,
} from './support/match-harness.js';
import { MATCH_ENV, resetWorld, sealedData, storedRuns } from './support/world.js';

let h: MatchHarness;
beforeAll(async () => {
  h = await startMatchHarness(MATCH_ENV);
});
afterAll(() => h.close());
beforeEach(() => resetWorld(h));

/** The BC numbers of the rows a results card lists ("10000 Adatum Corporation" → 10000). */
const numbersOn = (text: string): string[] =>
  [...text.matchAll(/^(\d{5}) [A-Z]/gm)].map((m) => m[1] as string).sort();

describe('match <mapping> <numbers>: only those Business Central records are matched', () => {
  it('a range limits the run to the records in it, and both cards say so', async () => {
    const { criteria, result } = await runMatch(h, ADA, {}, 'match customers 10000..30000');
    expect(cardText(criteria)).toMatch(/Limited to Business Central customers 10000\.\.30000\./);
    const text = answeredText(result);
    expect(text).toMatch(/Limited to Business Central customers 10000\.\.30000 \(3 records\)\./);
    expect(text).toMatch(/Total: 3\b/);
    expect(numbersOn(text)).toEqual(['10000', '20000', '30000']);
  });

  it('numbers and ranges can be listed; every Dataverse row stays a candidate', async () => {
    const { result } = await runMatch(h, BEN, {}, 'match customers 10000 40000..50000');
    const text = answeredText(result);
    expect(text).toMatch(/customers 10000, 40000\.\.50000 \(3 records\)/);
    expect(numbersOn(text)).toEqual(['10000', '40000', '50000']);
    expect(text).toMatch(/10000 Adatum Corporation\nAdatum Corporation/);
  });

  it('Reset Criteria keeps the limit on the dialog', async () => {
    const card = cardOf((await h.say('match customers 20000..30000', ADA))[0]);
    const reset = await h.invoke(Verb.matchResetCriteria, button(card, 'Reset Criteria').data, ADA);
    expect(answeredText(reset)).toMatch(/Limited to Business Central customers 20000\.\.30000\./);
  });

  it.each([
    [
      'match customers 30000..10000',
      /The range 30000\.\.10000 runs backwards: put the lower number first \(10000\.\.30000\)/,
    ],
    ['match customers 10000..', /I didn't understand '10000\.\.'/],
  ])('%s is refused with the reason; nothing is run', async (says, reason) => {
    const before = await storedRuns(h);
    const text = (await h.say(says, ADA)).map((a) => a.text ?? cardText(cardOf(a))).join('\n');
    expect(text).toMatch(reason);
    expect(text).not.toMatch(/Match-Based Coupling/);
    expect(await storedRuns(h)).toBe(before);
  });

  it('a range without records says so and stores no run', async () => {
    const before = await storedRuns(h);
    const { result } = await runMatch(h, ADA, {}, 'match customers 70000..80000');
    expect(answeredText(result) + messagesText(result)).toMatch(
      /There are no Customer records in 70000\.\.80000\. Nothing was proposed\./,
    );
    expect(await storedRuns(h)).toBe(before);
  });

  it('a scope changed in the Run data (signed, so it gets through) is refused; nothing is saved or run', async () => {
    const before = await storedRuns(h);
    const data = sealedData(Verb.matchRun, {
      mapping: 'CUSTOMER',
      scope: '50000..10000',
      'match:City': 'true',
    });
    const result = await h.invoke(Verb.matchRun, data, ADA);
    expect(answeredText(result)).toMatch(/^Match-Based Coupling\nCUSTOMER/);
    expect(messagesText(result)).toMatch(/The range 50000\.\.10000 runs backwards/);
    expect(await storedRuns(h)).toBe(before);
    const criteria = cardText(cardOf((await h.say('match customers', BEN))[0]));
    expect(criteria).toMatch(/City ↔ address1_city\nMatch on this Field: false/);
  });
});

describe('match <mapping> modified: records modified since the last approved match run', () => {
  it('is refused while the mapping has no approved run', async () => {
    const before = await storedRuns(h);
    const { criteria, result } = await runMatch(h, ADA, {}, 'match customers modified');
    expect(cardText(criteria)).toMatch(
      /Limited to Business Central customers modified since the last approved match run\./,
    );
    expect(answeredText(result) + messagesText(result)).toMatch(
      /CUSTOMER has no approved match run yet, so no record counts as modified since one\./,
    );
    expect(await storedRuns(h)).toBe(before);
  });

  it('after an approved run, proposes only the records changed since it was proposed', async () => {
    const first = await runMatch(h, ADA);
    await h.invoke(Verb.matchApproveAll, button(first.result.body?.value, 'Approve all').data, ADA);
    h.clock.advanceMinutes(5);
    await h.say('sandbox edit customer 40000 city="Seattle"', ADA);
    await h.say('sandbox edit customer 50000 city="Seattle"', ADA);
    const { result } = await runMatch(h, ADA, {}, 'match customers modified');
    const text = answeredText(result);
    expect(text).toMatch(
      /Limited to Business Central customers modified since 2025-03-03 09:00 UTC \(2 records\)\./,
    );
    expect(numbersOn(text)).toEqual(['40000', '50000']);
  });
});
