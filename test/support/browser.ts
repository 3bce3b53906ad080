import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/**
 * The Agents Playground's web page in headless Chromium, driven like a person would: type in the
 * compose box, read the rendered Adaptive Cards, click their buttons, pick from their choice sets.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = (): boolean => existsSync(CHROMIUM);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(root, 'test-artifacts', 'e2e');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
/** How long the bot may take to answer one message or one click (a loaded 2-core machine). */
const REPLY_TIMEOUT_MS = 30_000;

/** Every message the bot posted is an "output card" in the Playground, plain text or Adaptive Card. */
const BOT_MESSAGE = '.fai-OutputCard';
const CARD = '.ac-adaptiveCard';
/** Card actions; the choice set's chevron is a button too, but not an action. */
const ACTION = 'button:has(.ac-pushButton-content)';
/** What the page posts when the user sends a message or clicks a card action. */
const TO_BOT = /\/_conversation\/v1\/(invoke|conversations\/[^/]+\/messages)$/;

export interface RenderedCard {
  /** What a reader sees, one line per text element. */
  text: string;
  /** Titles of the card's action buttons, in order. */
  buttons: string[];
}

export interface PlaygroundPage {
  readonly page: Page;
  /** Types `text` in the compose box, sends it, and waits for the bot's answer to appear. */
  say(text: string): Promise<void>;
  /** The newest Adaptive Card in the chat. */
  lastCard(): Promise<RenderedCard>;
  /** The newest bot message, card or text. */
  lastMessage(): Promise<string>;
  /**
   * Clicks the action `title` on the newest card — in the part of the card that also shows `near`,
   * when given — and waits until the card is replaced or the bot posts a new message.
   */
  click(title: string, options?: { near?: string }): Promise<void>;
  /** Picks `option` in the newest card's choice set labelled `label`. */
  choose(label: string, option: string): Promise<void>;
  /** What the newest card's inputs show as chosen: checked radio buttons' labels, combo boxes' values. */
  selections(): Promise<string[]>;
  /** Waits until the newest card's text matches (e.g. a progress card updated with the result). */
  waitForCard(pattern: RegExp, timeoutMs?: number): Promise<RenderedCard>;
  /** Saves the newest bot message as test-artifacts/e2e/<name>.png; returns the path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

const normalise = (text: string): string =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');

export async function openPlayground(url: string): Promise<PlaygroundPage> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    // Offline: the Playground asks a CDN for fonts; refuse at once rather than wait for DNS.
    await page.route(
      (u) => u.hostname !== '127.0.0.1' && u.hostname !== 'localhost',
      (route) => route.abort(),
    );
    await page.goto(url);
    const messages = page.locator(BOT_MESSAGE);
    // The Playground installs the app on load and the bot greets; wait for it so that the greeting
    // is not mistaken for the answer to the first message.
    await messages.first().waitFor({ timeout: REPLY_TIMEOUT_MS });
    return playgroundPage(page, browser);
  } catch (e) {
    await browser.close();
    throw e;
  }
}

function playgroundPage(page: Page, browser: Browser): PlaygroundPage {
  const messages = page.locator(BOT_MESSAGE);
  const newestCard = () => page.locator(CARD).last();

  /** Waits until `changed()` holds, then until the bot has stopped posting for a moment. */
  const settle = async (what: string, changed: () => Promise<boolean>) => {
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    while (!(await changed())) {
      if (Date.now() > deadline)
        throw new Error(`No answer from the bot within ${REPLY_TIMEOUT_MS / 1000} s after ${what}`);
      await page.waitForTimeout(100);
    }
    let count = await messages.count();
    for (;;) {
      await page.waitForTimeout(400);
      const now = await messages.count();
      if (now === count) return;
      count = now;
    }
  };

  const readCard = async (card: Locator): Promise<RenderedCard> => ({
    text: normalise(await card.innerText()),
    buttons: (await card.locator(ACTION).allInnerTexts()).map((t) => t.trim()),
  });

  return {
    page,

    async say(text) {
      const before = await messages.count();
      const box = page.getByRole('textbox');
      await box.click();
      await page.keyboard.type(text);
      const sent = page.waitForResponse((r) => r.request().method() === 'POST' && TO_BOT.test(r.url()));
      await page.keyboard.press('Enter');
      const response = await sent;
      if (response.status() >= 400) throw new Error(`Sending "${text}" failed: HTTP ${response.status()}`);
      await settle(`"${text}"`, async () => (await messages.count()) > before);
    },

    async lastCard() {
      if ((await page.locator(CARD).count()) === 0) throw new Error('The bot has not sent any card');
      return readCard(newestCard());
    },

    async lastMessage() {
      return normalise(await messages.last().innerText());
    },

    async click(title, options = {}) {
      const card = newestCard();
      // With `near`: the innermost container holding both the text and the button, e.g. one row.
      const scope = options.near
        ? card
            .locator('.ac-container, .ac-columnSet')
            .filter({ has: page.getByText(options.near, { exact: true }) })
            .filter({ has: page.getByRole('button', { name: title, exact: true }) })
            .last()
        : card;
      const button = scope.getByRole('button', { name: title, exact: true });
      const count = await button.count();
      if (count !== 1) {
        const where = options.near ? ` near "${options.near}"` : '';
        const { buttons } = await readCard(card);
        throw new Error(
          `Expected one "${title}" button${where}, found ${count}; the card has: ${buttons.join(', ')}`,
        );
      }
      const messagesBefore = await messages.count();
      const textBefore = await card.innerText();
      // Action.Execute is an invoke, Action.Submit a message: either way the page posts to the
      // Playground. If it does not, the card itself refused the click (e.g. a required input).
      const sent = page.waitForRequest((r) => r.method() === 'POST' && TO_BOT.test(r.url()), {
        timeout: 5_000,
      });
      await button.click();
      const request = await sent.catch(async () => {
        throw new Error(
          `Clicking "${title}" sent nothing; the card says:\n${normalise(await card.innerText())}`,
        );
      });
      const response = await request.response();
      if (response && response.status() >= 400)
        throw new Error(`Clicking "${title}" failed: HTTP ${response.status()} ${await response.text()}`);
      await settle(`clicking "${title}"`, async () => {
        if ((await messages.count()) > messagesBefore) return true;
        return (await card.innerText().catch(() => textBefore)) !== textBefore; // replaced in place
      });
    },

    async choose(label, option) {
      const card = newestCard();
      // An expanded choice set is a group of radio buttons; a compact one is a combo box.
      const radio = card.getByRole('radio', { name: option, exact: true });
      if ((await radio.count()) === 1) return radio.check();
      await card.getByRole('combobox', { name: label }).click();
      await page.getByRole('option', { name: option, exact: true }).click();
    },

    async selections() {
      const card = newestCard();
      const radios = await card
        .locator('input[type=radio]:checked')
        .evaluateAll((inputs) => inputs.map((i) => i.labels?.[0]?.textContent?.trim() ?? ''));
      const combos = await Promise.all((await card.getByRole('combobox').all()).map((c) => c.inputValue()));
      return [...radios, ...combos];
    },

    async waitForCard(pattern, timeoutMs = REPLY_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const card = await readCard(newestCard());
        if (pattern.test(card.text)) return card;
        if (Date.now() > deadline)
          throw new Error(
            `The newest card did not come to show ${pattern} within ${timeoutMs / 1000} s:\n${card.text}`,
          );
        await page.waitForTimeout(250);
      }
    },

    async screenshot(name) {
      await mkdir(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, `${name}.png`);
      await messages.last().screenshot({ path: file });
      return file;
    },

    close: () => browser.close(),
  };
}
