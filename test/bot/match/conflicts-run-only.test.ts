import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cardOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import {
  answeredText,
  messagesText,
  runMatch,
  startMatchHarness,
  type MatchHarness,
} from './support/match-harness.js';
import { MATCH_ENV, resetWorld } from './support/world.js';

/** Resolve Update Conflicts on the criteria card is that run's choice: it never changes the mapping. */
let h: MatchHarness;
beforeAll(async () => {
  h = await startMatchHarness(MATCH_ENV);
});
afterAll(() => h.close());
beforeEach(() => resetWorld(h));

const mappingSetting = async () =>
  (await h.db.db.collection('mappings').findOne({ name: 'CUSTOMER' }))?.updateConflictResolution;
const RUN_ONLY =
  /Resolve Update Conflicts "Get Update from Integration" applies to this run only; table mapping CUSTOMER keeps "None"\. To change the mapping's setting: mapping customer update-conflicts get\./;

describe('Resolve Update Conflicts on the match criteria card', () => {
  it('says on the card that it is for this run only, and which command changes the mapping', async () => {
    const criteria = cardText(cardOf((await h.say('match customers', BEN))[0]));
    expect(criteria).toMatch(
      /For this run only; the table mapping's own setting changes with mapping customer update-conflicts none\|send\|get\./,
    );
  });

  it.each([
    ['a manager, whose Run saves the other criteria', ADA],
    ['a non-manager', BEN],
  ])('a choice by %s is used for the run, said so, and the mapping keeps its own', async (_who, user) => {
    const { result } = await runMatch(h, user, { resolveUpdateConflicts: 'Get Update from Integration' });
    expect(answeredText(result)).toMatch(/^Match-Based Coupling: CUSTOMER/);
    expect(messagesText(result)).toMatch(RUN_ONLY);
    expect(await mappingSetting()).toBe('None');
    expect(cardText(cardOf((await h.say('mappings', BEN))[0]))).toMatch(
      /CUSTOMER[\s\S]*?Resolve Update Conflicts: None/,
    );
  });

  it('the same choice as the mapping says nothing more', async () => {
    const { result } = await runMatch(h, ADA, { resolveUpdateConflicts: 'None' });
    expect(messagesText(result)).not.toMatch(/applies to this run only/);
  });
});
