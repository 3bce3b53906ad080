import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComposedBot } from '../../../bot/composition/compose-bot.js';
import { startBotOverHttp, type BotOverHttp } from '../../kit/bot.js';
import { button, cardOf, cardText } from '../../support/bot-harness.js';
import type { LoopbackConnector } from '../../support/loopback-connector.js';
import { ADA, BEN, teamsExecute, teamsMessage, type TeamsUser } from '../teams-activity.js';

/**
 * The real thing on loopback (test/kit/bot.ts), wired as the composition root wires it: restify server, CloudAdapter, proactive messages
 * through adapter.continueConversationAsync, the server's drain waiting for background jobs.
 */
let http: BotOverHttp;
let bot: ComposedBot;
let connector: LoopbackConnector;

beforeAll(async () => {
  http = await startBotOverHttp({ proactive: true, indexes: true, logLevel: 'warn' });
  ({ bot, connector } = http);
});
afterAll(() => http.close());

const post = (body: unknown) => http.post(body);
const teams = (user: TeamsUser, extra: object = {}) => ({ serviceUrl: connector.serviceUrl, user, ...extra });

/** Sends a message; returns the card the bot replied with and the id the connector gave it. */
async function say(text: string, user: TeamsUser = BEN) {
  connector.clear();
  expect((await post(teamsMessage(text, teams(user)))).status).toBe(200);
  const call = connector.calls.find((c) => c.kind === 'reply' || c.kind === 'send');
  return {
    card: cardOf(call && 'activity' in call ? call.activity : undefined),
    id: (call as { id?: string })?.id,
  };
}

describe('end to end: background jobs and proactive messages through the Bot Connector', () => {
  it('a whole-mapping job: the running card comes back at once, then is updated in place (PUT) with the counters', async () => {
    const setUp = await say('couple customer 10000', ADA);
    const pick = button(setUp.card, 'Couple');
    const coupled = await post(
      teamsExecute(
        pick.verb,
        { ...pick.data, syncAfterCoupling: 'Yes - Use the Business Central data' },
        teams(ADA, { replyToId: setUp.id }),
      ),
    );
    expect(cardText(((await coupled.json()) as { value: unknown }).value)).toMatch(
      /Synchronize After Coupling .*: Modified in Dataverse/,
    );

    // Full synchronization is a manager's (core refuses it to others).
    const running = await say('sync customers all', ADA);
    expect(cardText(running.card)).toMatch(/^Synchronization of CUSTOMER[\s\S]*Running…/);
    connector.clear();
    await bot.background.idle();
    const [update] = connector.updates();
    expect(update).toMatchObject({ activityId: running.id, conversationId: `a:personal-${ADA.aadObjectId}` });
    expect(cardText(cardOf(update?.activity))).toMatch(
      /^Synchronization of CUSTOMER\nFull synchronization · Bidirectional · by Ada Manager · .*\nInserted 0 · Modified 0 · Deleted 0 · Unchanged 1 · Skipped 0 · Failed 0 · Coupled 0 · Uncoupled 0$/,
    );
    expect(connector.messages()).toEqual([]);
  });

  it('a scheduled run that leaves errors sends the managers a summary card; others hear nothing', async () => {
    await say('help', BEN); // Ben has a personal chat too, but is no manager
    await say('sandbox edit customer 10000 phone="+1 425 555 0111"', ADA);
    await say('sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0122"', ADA);
    connector.clear();
    expect(await bot.runtime.scheduler.tick()).toContain('CUSTOMER');
    const sent = connector.calls.filter((c) => c.kind === 'send' || c.kind === 'reply');
    expect(sent.map((c) => c.conversationId)).toEqual([`a:personal-${ADA.aadObjectId}`]);
    const text = cardText(cardOf(connector.messages()[0]));
    expect(text).toMatch(
      /^Synchronization of CUSTOMER\nSynchronize Modified Records · Bidirectional · by Scheduled synchronization · .*\nScheduled synchronization of CUSTOMER left 1 new error\. Type errors customer to retry them or choose which side wins\./,
    );
    expect(text).toMatch(
      /10000 Adatum Corporation: Skipped\nCannot update Customer 10000 .* field Phone No\./,
    );
  });

  it('the drain on shutdown waits for a background job to finish', async () => {
    const running = await say('sync customers all', ADA);
    connector.clear();
    expect(bot.background.size).toBe(1); // its card is updated a moment after it was delivered
    await http.server.stop(30_000); // SIGTERM: no new turns, but the job and its card update complete
    expect(bot.background.size).toBe(0);
    expect(connector.updates().map((u) => u.activityId)).toEqual([running.id]);
  });
});
