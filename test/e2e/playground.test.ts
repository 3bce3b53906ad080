import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, openPlayground, type PlaygroundPage } from '../support/browser.js';
import { PLAYGROUND_USER, startPlaygroundStack, type PlaygroundStack } from '../support/playground.js';

/**
 * A user's session in the Microsoft 365 Agents Playground (Teams channel), in headless Chromium:
 * the bot runs as `npm start` would, the cards are rendered by the Playground and clicked there.
 * The tests follow one conversation in order, as a person would: couple, then look, then uncouple.
 * Screenshots of every card state land in test-artifacts/e2e/.
 */
const SKIP = hasChromium() ? '' : ` — SKIPPED: ${CHROMIUM} is missing (apt-get install chromium)`;
if (SKIP) console.warn(`e2e tests${SKIP}`);

describe.skipIf(SKIP !== '')(
  `Chat and coupling in the Agents Playground${SKIP}`,
  { timeout: 120_000 },
  () => {
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
      expect(outcome.text).toMatch(/Coupled/);
      expect(outcome.text).toContain(`By ${PLAYGROUND_USER.name}`);
      expect(outcome.text).toMatch(
        /Customer 10000 Adatum Corporation is now coupled to account Adatum Corporation/,
      );
      // The clicked card was replaced: nothing left to click twice.
      expect(outcome.buttons).toEqual([]);
    });

    it('show customer 10000 now shows the coupling: to which account, by whom', async () => {
      await chat.say('show customer 10000');
      const card = await chat.lastCard();
      await chat.screenshot('05-show-coupled');
      expect(card.text).toMatch(/Coupled to account Adatum Corporation/);
      expect(card.text).toContain(PLAYGROUND_USER.name);
      expect(card.text).not.toMatch(/Not coupled/i);
      expect(card.buttons).toContain('Delete Coupling');
    });

    it('uncouple customer 10000 asks for confirmation, then deletes the coupling', async () => {
      await chat.say('uncouple customer 10000');
      const confirm = await chat.lastCard();
      await chat.screenshot('06-uncouple-confirm');
      expect(confirm.text).toContain('Delete Coupling');
      expect(confirm.text).toContain('Customer 10000');
      expect(confirm.buttons).toEqual(['Delete Coupling', 'Cancel']);

      await chat.click('Delete Coupling');
      const outcome = await chat.lastCard();
      await chat.screenshot('07-uncoupled-outcome');
      expect(outcome.text).toContain('Delete Coupling: 1 of 1 uncoupled');
      expect(outcome.buttons).toEqual([]);

      await chat.say('show customer 10000');
      const after = await chat.lastCard();
      await chat.screenshot('08-show-uncoupled');
      expect(after.text).toMatch(/Not coupled/i);
    });
  },
);
