import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTIVE_CARD } from '../../bot/reply.js';
import { accountId } from '../../connectors/sandbox/seed-data-dv.js';
import { button, cardOf, cardText } from '../support/bot-harness.js';
import { startHttpBot, type HttpBot } from './http-bot.js';
import { BEN, teamsExecute, teamsMessage, teamsSubmit } from './teams-activity.js';

let http: HttpBot;
beforeAll(async () => {
  http = await startHttpBot();
});
afterAll(() => http.close());

const teams = (extra: object = {}) => ({ serviceUrl: http.connector.serviceUrl, ...extra });

describe('end to end: Teams-shaped activities over HTTP, replies through the loopback connector', () => {
  it('a command in a personal chat is answered with a card posted back to the conversation', async () => {
    http.connector.clear();
    const activity = teamsMessage('show customer 10000', teams());
    expect((await http.post(activity)).status).toBe(200);
    expect(http.connector.calls).toHaveLength(1);
    const call = http.connector.calls[0];
    expect(call).toMatchObject({
      kind: 'reply',
      conversationId: activity.conversation?.id,
      replyToId: activity.id,
    });
    const reply = http.connector.messages()[0];
    expect(reply?.attachments?.[0]?.contentType).toBe(ADAPTIVE_CARD);
    expect(cardText(cardOf(reply))).toMatch(/^Customer 10000\nAdatum Corporation/);
  });

  it('in a channel the @mention is stripped, and a card click is answered in the HTTP response', async () => {
    http.connector.clear();
    const inChannel = teams({
      conversationType: 'channel',
      conversationId: '19:abc@thread.tacv2;messageid=1',
    });
    const ask = teamsMessage('couple customer 10000', inChannel);
    expect(ask.text).toBe('<at>Coupling Assistant</at> couple customer 10000');
    await http.post(ask);
    const setUp = cardOf(http.connector.messages()[0]);
    expect(cardText(setUp)).toMatch(/^Set Up Coupling/);
    expect(http.connector.calls[0]).toMatchObject({ conversationId: '19:abc@thread.tacv2;messageid=1' });

    http.connector.clear();
    const pick = button(setUp, 'Couple');
    const res = await http.post(
      teamsExecute(pick.verb, { ...pick.data, syncAfterCoupling: 'No' }, inChannel),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { statusCode: number; type: string; value: unknown };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe(ADAPTIVE_CARD);
    expect(cardText(body.value)).toMatch(/^Coupled\nBy Ben User/);
    expect(http.connector.calls).toHaveLength(0);
    const stored = await http.db.db.collection('couplings').find().toArray();
    expect(stored.map((c) => [c.bcNumber, c.dvId])).toEqual([['10000', accountId('adatum')]]);
  });

  it('an Action.Submit fallback updates the original card through the connector (PUT)', async () => {
    http.connector.clear();
    await http.post(teamsMessage('couple customer 20000', teams()));
    const card = cardOf(http.connector.messages()[0]);
    const cardActivityId = (http.connector.calls[0] as { id: string }).id;
    http.connector.clear();
    const cancel = button(card, 'Cancel');
    expect((await http.post(teamsSubmit(cancel.data, teams({ replyToId: cardActivityId })))).status).toBe(
      200,
    );
    expect(http.connector.updates()).toHaveLength(1);
    expect(http.connector.updates()[0]).toMatchObject({ activityId: cardActivityId });
    expect(cardText(cardOf(http.connector.updates()[0]?.activity))).toMatch(/^Cancelled\nBy Ben User/);
  });

  it('remembers the conversation for proactive messages', async () => {
    const stored = await http.db.db
      .collection('conversations')
      .findOne({ conversationId: `a:personal-${BEN.aadObjectId}` });
    expect(stored).toMatchObject({
      conversationType: 'personal',
      userId: BEN.aadObjectId,
      reference: { serviceUrl: http.connector.serviceUrl },
    });
  });

  it('an unexpected failure is answered with an apology and an id, and the server keeps serving', async () => {
    http.connector.clear();
    const original = http.bot.services.coupling.describe;
    http.bot.services.coupling.describe = async () => {
      throw new Error('disk on fire');
    };
    try {
      const activity = teamsMessage('show customer 10000', teams());
      await http.post(activity);
      const text = cardText(cardOf(http.connector.messages()[0]));
      expect(text).toMatch(/^Something went wrong\nSorry — something went wrong on my side/);
      expect(text).toContain(`Reference ${activity.id}`);
      expect(text).not.toMatch(/disk on fire|Error|at /);
    } finally {
      http.bot.services.coupling.describe = original;
    }
    http.connector.clear();
    await http.post(teamsMessage('help', teams()));
    expect(cardText(cardOf(http.connector.messages()[0]))).toMatch(/^Coupling Assistant/);
  });
});
