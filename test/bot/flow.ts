import type { Activity } from 'botbuilder';
import { expect } from 'vitest';
import { cardOf, cardText, type BotHarness } from '../support/bot-harness.js';
import type { TeamsUser } from './teams-activity.js';

/** What the user reads: each reply's text, or its card's text. */
export function answerText(activities: ReadonlyArray<Partial<Activity>>): string {
  return activities.map((a) => a.text ?? cardText(cardOf(a))).join('\n---\n');
}

/** One line of a conversation: who says what, and what the answer must say. */
export type Step = [user: TeamsUser, says: string, answers: RegExp];

/** Plays the steps in order; each answer must match its pattern. */
export async function playFlow(h: BotHarness, steps: readonly Step[]): Promise<void> {
  for (const [user, says, answers] of steps) {
    const text = answerText(await h.say(says, user));
    expect(text, `${user.name}: ${says}`).toMatch(answers);
  }
}
