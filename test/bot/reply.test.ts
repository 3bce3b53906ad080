import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { createCardSeal } from '../../bot/card-seal.js';
import {
  ADAPTIVE_CARD,
  cardReply,
  createReplier,
  textReply,
  type Replies,
  type Replier,
} from '../../bot/reply.js';

const card = { type: 'AdaptiveCard' as const, body: [{ type: 'TextBlock', text: 'Outcome' }] };

class FailingUpdates extends TestAdapter {
  override async updateActivity(): Promise<void> {
    throw new Error('this channel cannot update messages');
  }
}

/** Runs one turn whose bot answers with `use(replier, context)`; returns what was sent. */
async function turn(
  activity: Partial<Activity>,
  use: (r: Replier, c: TurnContext) => Promise<void>,
  adapter = new TestAdapter(),
  remembered: unknown[] = [],
) {
  const replier = createReplier({
    seal: createCardSeal('k'),
    onCardSent: async (ref) => void remembered.push(ref),
  });
  await adapter.processActivity(activity, (c) => use(replier, c));
  return adapter.activeQueue;
}

describe('reply', () => {
  it('sends text and cards as messages, in order', async () => {
    const replies: Replies = [textReply('one'), cardReply(card)];
    const sent = await turn({ type: 'message', text: 'x' }, (r, c) => r.send(c, replies));
    expect(sent.map((a) => a.text ?? a.attachments?.[0]?.contentType)).toEqual(['one', ADAPTIVE_CARD]);
  });

  it('answers an invoke with the first reply and sends the rest as messages', async () => {
    const sent = await turn({ type: 'invoke', name: 'adaptiveCard/action' }, (r, c) =>
      r.answerInvoke(c, [cardReply(card), textReply('and more')]),
    );
    expect(sent[0]).toMatchObject({
      type: 'invokeResponse',
      value: { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD } },
    });
    expect(sent[1]?.text).toBe('and more');
  });

  it('falls back to a new message when the clicked card cannot be updated', async () => {
    const sent = await turn(
      { type: 'message', replyToId: 'card-1', value: {} },
      (r, c) => r.replaceCard(c, cardReply(card)),
      new FailingUpdates(),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.attachments?.[0]?.content).toMatchObject({ body: card.body });
  });

  it('remembers a card sent under a key, with the conversation and the activity id it got', async () => {
    const remembered: unknown[] = [];
    const sent = await turn(
      { type: 'message', text: 'x' },
      (r, c) => r.send(c, cardReply(card, 'matchRun:r-1')),
      new TestAdapter(),
      remembered,
    );
    expect(remembered).toEqual([{ key: 'matchRun:r-1', conversationId: 'Convo1', activityId: sent[0]?.id }]);
  });
});
