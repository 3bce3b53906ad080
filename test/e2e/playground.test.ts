import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, openPlayground, type PlaygroundPage } from '../support/browser.js';
import { PLAYGROUND_USER, startPlaygroundStack, type PlaygroundStack } from '../support/playground.js';

/**
 * A user's session in the Microsoft 365 Agents Playground (Teams channel) in headless Chromium: the
 * bot runs as `npm start` runs it, the Playground renders its cards, and they are clicked there. The
 * tests follow one conversation in order, as a person would — couple, look, uncouple; then sync; then
 * match — so each builds on the state the previous one left. The user is a manager.
 * Screenshots of every card state land in test-artifacts/e2e/.
 */
const SKIP = hasChromium() ? '' : ` — SKIPPED: ${CHROMIUM} is missing (apt-get install chromium)`;
if (SKIP) console.warn(`e2e tests${SKIP}`);

describe.skipIf(SKIP !== '')(`The bot in the Agents Playground${SKIP}`, { timeout: 120_000 }, () => {
  let stack: PlaygroundStack;
  let chat: PlaygroundPage;

  beforeAll(async () => {
    stack = await startPlaygroundStack();
    chat = await openPlayground(stack.url);
  }, 240_000);

  afterAll(async () => {
    await chat?.close();
    await stack?.stop();
  }, 60_000);

  describe('chat and manual coupling', () => {
    it('help answers with a card listing the commands', async () => {
      await chat.say('help');
      const card = await chat.lastCard();
      await chat.screenshot('01-help');
      for (const command of [
        'show customer 10000',
        'couple customer 10000',
        'uncouple customer 10000',
        'mappings',
      ])
        expect(card.text).toContain(command);
    });

    it('show customer 10000 shows Adatum Corporation, not coupled, with Set Up Coupling', async () => {
      await chat.say('show customer 10000');
      const card = await chat.lastCard();
      await chat.screenshot('02-show-not-coupled');
      expect(card.text).toContain('Customer 10000');
      expect(card.text).toContain('Adatum Corporation');
      expect(card.text).toMatch(/Not coupled/i);
      expect(card.buttons).toContain('Set Up Coupling');
    });

    it('couple customer 10000 offers candidates, and Couple on the Adatum row couples it in place', async () => {
      await chat.say('couple customer 10000');
      const setUp = await chat.lastCard();
      await chat.screenshot('03-set-up-coupling');
      expect(setUp.text).toContain('Set Up Coupling');
      expect(setUp.text).toContain('Synchronize After Coupling');
      expect(setUp.buttons).toEqual(expect.arrayContaining(['Couple', 'Create New', 'Cancel']));

      await chat.click('Couple', { near: 'Adatum Corporation' });
      const outcome = await chat.lastCard();
      await chat.screenshot('04-coupled-outcome');
      expect(outcome.text).toMatch(/^Coupled/);
      expect(outcome.text).toContain(`By ${PLAYGROUND_USER.name}`);
      expect(outcome.text).toContain(
        'Customer 10000 Adatum Corporation is now coupled to account Adatum Corporation',
      );
      // The clicked card was replaced: nothing left to click twice, only the job's Undo.
      expect(outcome.buttons).toEqual(['Undo']);
    });

    it('show customer 10000 now shows the coupling: to which account, by whom', async () => {
      await chat.say('show customer 10000');
      const card = await chat.lastCard();
      await chat.screenshot('05-show-coupled');
      expect(card.text).toContain('Coupled to account Adatum Corporation');
      expect(card.text).toContain(PLAYGROUND_USER.name);
      expect(card.text).not.toMatch(/Not coupled/i);
      expect(card.buttons).toContain('Delete Coupling');
    });

    it('uncouple customer 10000 asks for confirmation, then deletes the coupling', async () => {
      await chat.say('uncouple customer 10000');
      const confirm = await chat.lastCard();
      await chat.screenshot('06-uncouple-confirm');
      expect(confirm.text).toContain('Customer 10000');
      expect(confirm.buttons).toEqual(['Delete Coupling', 'Cancel']);

      await chat.click('Delete Coupling');
      const outcome = await chat.lastCard();
      await chat.screenshot('07-uncoupled-outcome');
      expect(outcome.text).toContain('Delete Coupling: 1 of 1 uncoupled');
      expect(outcome.buttons).toEqual(['Undo']);

      await chat.say('show customer 10000');
      const after = await chat.lastCard();
      await chat.screenshot('08-show-uncoupled');
      expect(after.text).toMatch(/Not coupled/i);
    });
  });

  describe('Synchronize Now', () => {
    it('couples with Synchronize After Coupling: Use the Business Central data', async () => {
      await chat.say('couple customer 10000');
      await chat.choose('Synchronize After Coupling', 'Yes - Use the Business Central data');
      await chat.screenshot('09-set-up-coupling-sync-after');
      await chat.click('Couple', { near: 'Adatum Corporation' });
      const outcome = await chat.lastCard();
      await chat.screenshot('10-coupled-and-synchronized');
      expect(outcome.text).toContain('is now coupled to account Adatum Corporation');
      expect(outcome.text).toContain(
        'Synchronize After Coupling (Yes - Use the Business Central data): Modified in Dataverse',
      );
      expect(outcome.text).toContain('telephone1: (425) 555-0100 → +1 425 555 0100');
    });

    it('sync customer 10000 after a BC edit recommends Send, and sending updates Dataverse', async () => {
      await chat.say('sandbox edit customer 10000 phone="+1 425 555 0199"');
      expect(await chat.lastMessage()).toContain('+1 425 555 0199');

      await chat.say('sync customer 10000');
      const choice = await chat.lastCard();
      await chat.screenshot('11-sync-direction');
      expect(choice.text).toContain('Synchronize Now');
      expect(choice.text).toContain('Changed in Business Central');
      expect(choice.text).toContain('Send data update to Dataverse');
      expect(choice.text).toContain('Get data update from Dataverse');
      expect(choice.buttons).toEqual(['Synchronize', 'Cancel']);
      expect(await chat.selections()).toEqual(['Send data update to Dataverse']); // the recommendation

      await chat.choose('Direction', 'Send data update to Dataverse');
      await chat.click('Synchronize');
      const result = await chat.waitForCard(/Modified 1/);
      await chat.screenshot('12-sync-result');
      expect(result.text).toContain('Send data update to Dataverse');
      expect(result.text).toContain('10000 Adatum Corporation: Modified in Dataverse');
      expect(result.text).toContain('telephone1: +1 425 555 0100 → +1 425 555 0199');
      expect(result.buttons).toEqual(['Undo']);
    });
  });

  describe('match-based coupling with approval', () => {
    it('match customers proposes Trey Research by name, and Approve all couples it', async () => {
      await chat.say('match customers');
      const criteria = await chat.lastCard();
      await chat.screenshot('13-match-criteria');
      expect(criteria.text).toContain('Match-Based Coupling');
      expect(criteria.text).toContain('Name ↔ name');
      expect(criteria.buttons).toEqual(expect.arrayContaining(['Run', 'Cancel']));

      await chat.click('Run');
      const results = await chat.waitForCard(/Awaiting your approval/);
      await chat.screenshot('14-match-results');
      expect(results.text).toMatch(/Proposed\n1\n/);
      expect(results.text).toContain('20000 Trey Research');
      expect(results.text).toContain('Priority 0: Name = Trey Research');
      // Besides the decisions, a "Couple to this near match" per row with near candidates (School of Fine Art has one).
      expect(results.buttons).toEqual(expect.arrayContaining(['Approve selected', 'Approve all', 'Reject']));

      await chat.click('Approve all');
      const approved = await chat.waitForCard(/Approved by/);
      await chat.screenshot('15-match-approved');
      expect(approved.text).toContain(`Approved by ${PLAYGROUND_USER.name}`);
      expect(approved.text).toContain('1 coupled, 0 failed');
      expect(approved.buttons).toEqual([]);

      await chat.say('show customer 20000');
      const record = await chat.lastCard();
      await chat.screenshot('16-show-matched');
      expect(record.text).toContain('Trey Research');
      expect(record.text).toMatch(/Coupled to account trey research/i);
    });
  });
});
