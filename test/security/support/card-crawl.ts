import { Verb } from '../../../cards/verbs.js';
import { accountId } from '../../../connectors/sandbox/seed-data-dv.js';
import { buttonsOf, type CardButton } from '../../support/bot-harness.js';
import type { Answer, CorpusBot } from './corpus-bot.js';

/**
 * Real buttons for every card verb, collected the way a user meets them: from the cards commands answer
 * with, then from the cards some clicks answer with. The first button seen per verb is kept, with the
 * inputs its card would send, so "base data" is exactly what a legitimate click carries.
 */
export type Found = Map<string, CardButton>;

/** What a client adds from the card's inputs on a legitimate click. */
export const CARD_INPUTS: Record<string, Record<string, unknown>> = {
  [Verb.syncRun]: { direction: 'ToIntegrationTable' },
  [Verb.couplePick]: { syncAfterCoupling: 'No' },
  [Verb.coupleCreateNew]: { syncAfterCoupling: 'No' },
};

const COMMANDS = [
  'show customer 10000',
  'show customer 20000',
  'couple customer 20000',
  'uncouple customer 10000',
  'uncouple all customers',
  'mappings',
  'mapping customer reset',
  'sync customer 10000',
  'match customers',
  'sync customers modified preview',
];

function keep(found: Found, answer: Answer): void {
  for (const card of answer.cards)
    for (const b of buttonsOf(card)) if (!found.has(b.verb)) found.set(b.verb, b);
}

const click = (bot: CorpusBot, found: Found, verb: string) => {
  const b = found.get(verb);
  return b ? bot.execute(b.verb, { ...b.data, ...CARD_INPUTS[b.verb] }) : undefined;
};

/** Ends in the known state the corpus runs in: sandbox as seeded, Customer 10000 coupled to Adatum. */
export async function knownState(bot: CorpusBot): Promise<void> {
  await bot.say('sandbox reset');
  await bot.say('couple customer 10000 to account "Adatum Corporation"');
}

export async function crawlButtons(bot: CorpusBot): Promise<Found> {
  const found: Found = new Map();
  await knownState(bot);
  for (const text of COMMANDS) keep(found, await bot.say(text));
  const results = await click(bot, found, Verb.matchRun); // the results card: approve, reject, pages
  if (results) keep(found, results);
  // A deletion conflict gives the synchronization errors card its buttons.
  await bot.say(`sandbox delete account ${accountId('adatum')}`);
  await click(bot, found, Verb.syncRun);
  keep(found, await bot.say('errors'));
  // One page of results has no paging buttons: a page button is the run id and a page number.
  const runId = found.get(Verb.matchApproveAll)?.data.runId;
  if (!found.has(Verb.matchPage) && typeof runId === 'string') {
    found.set(Verb.matchPage, { title: 'Next', verb: Verb.matchPage, data: { runId, page: 1, kind: '' } });
  }
  // A deletion conflict offers no Synchronize button; a field conflict would, with the same error id.
  const errorId = found.get(Verb.syncRetry)?.data.errorId;
  if (!found.has(Verb.errorSynchronize) && typeof errorId === 'string') {
    found.set(Verb.errorSynchronize, {
      title: 'Synchronize',
      verb: Verb.errorSynchronize,
      data: { errorId },
    });
  }
  // A job's Cancel button lives on its running card, which a finished job has already replaced: the
  // button of a job that has finished carries the same data (its id), and cancelling it is refused.
  if (!found.has(Verb.jobCancel)) {
    await bot.say('sync customers modified');
    const jobId = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i.exec(
      JSON.stringify((await bot.say('status')).cards),
    )?.[0];
    if (jobId) found.set(Verb.jobCancel, { title: 'Cancel', verb: Verb.jobCancel, data: { jobId } });
  }
  // A slow preview arrives as a message after the turn: its button carries the stored preview's id.
  if (!found.has(Verb.previewRun)) {
    await bot.http.bot.services.match.background.idle();
    const preview = await bot.http.db.db.collection('syncPreviews').findOne({});
    if (preview)
      found.set(Verb.previewRun, {
        title: 'Run for real',
        verb: Verb.previewRun,
        data: { previewId: preview._id },
      });
  }
  // Undo lives on the result card of a change: a coupling made by the corpus user has one.
  if (!found.has(Verb.jobUndo))
    keep(found, await bot.say('couple customer 20000 to account "trey research"'));
  await knownState(bot);
  return found;
}

/** A legitimate click's data: the button's own data (without its seal) and the card's inputs. */
export function baseData(button: CardButton): Record<string, unknown> {
  // The verb inside the data only matters to Action.Submit; an Execute is routed by its own verb.
  const { _k: _keys, _s: _sig, verb: _verb, ...data } = button.data;
  return { ...data, ...CARD_INPUTS[button.verb] };
}
