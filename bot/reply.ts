import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { defuseLinks } from '../cards/plain-text.js';
import type { AdaptiveCard, CardSeal } from './card-seal.js';

export type { AdaptiveCard };

/**
 * What handlers return (style.md §3): text or a card. This module alone turns them into activities
 * and invoke responses, so handlers never touch the Bot Framework protocol.
 */
export type Reply =
  | { kind: 'text'; text: string }
  | {
      kind: 'card';
      card: AdaptiveCard;
      /** Remember the sent card under this key (core cardRefs) so it can be updated later. */
      rememberAs?: string;
    };
export type Replies = Reply | readonly Reply[];

export const textReply = (text: string): Reply => ({ kind: 'text', text });
export const cardReply = (card: AdaptiveCard, rememberAs?: string): Reply =>
  rememberAs ? { kind: 'card', card, rememberAs } : { kind: 'card', card };

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
export const ACTIVITY_MESSAGE = 'application/vnd.microsoft.activity.message';

const list = (replies: Replies): readonly Reply[] => (Array.isArray(replies) ? replies : [replies as Reply]);

/** The value an Action.Execute invoke answers with: a card replaces the clicked one, text is shown. */
export function invokeBody(reply: Reply, seal: CardSeal) {
  return reply.kind === 'card'
    ? { statusCode: 200, type: ADAPTIVE_CARD, value: seal.seal(reply.card) }
    : { statusCode: 200, type: ACTIVITY_MESSAGE, value: defuseLinks(reply.text) };
}

export interface Replier {
  /** Message turns: every reply becomes a message, in order. */
  send(context: TurnContext, replies: Replies): Promise<void>;
  /** Action.Execute: the first reply is the invoke response; any others follow as messages. */
  answerInvoke(context: TurnContext, replies: Replies): Promise<void>;
  /** Action.Submit: the clicked card (activity.replyToId) is updated in place, else the outcome is sent. */
  replaceCard(context: TurnContext, replies: Replies): Promise<void>;
  /** The card of message activity.replyToId is updated in place; false (and nothing sent) where it cannot be. */
  updateCard(context: TurnContext, reply: Reply): Promise<boolean>;
}

export interface ReplierDeps {
  seal: CardSeal;
  /** Called for cards sent with `rememberAs`, once the channel gave them an activity id. */
  onCardSent?: (ref: { key: string; conversationId: string; activityId: string }) => Promise<void>;
}

export function createReplier(deps: ReplierDeps): Replier {
  const toActivity = (reply: Reply): Partial<Activity> =>
    reply.kind === 'text'
      ? { type: ActivityTypes.Message, text: defuseLinks(reply.text) }
      : {
          type: ActivityTypes.Message,
          attachments: [{ contentType: ADAPTIVE_CARD, content: deps.seal.seal(reply.card) }],
        };

  /** A card sent with `rememberAs` is remembered under the id of the message that now shows it. */
  const remember = async (context: TurnContext, reply: Reply | undefined, activityId: string | undefined) => {
    const conversationId = context.activity.conversation?.id;
    if (reply?.kind === 'card' && reply.rememberAs && activityId && conversationId && deps.onCardSent) {
      await deps.onCardSent({ key: reply.rememberAs, conversationId, activityId });
    }
  };

  const updateCard = async (context: TurnContext, reply: Reply): Promise<boolean> => {
    const replyToId = context.activity.replyToId;
    if (reply.kind !== 'card' || !replyToId) return false;
    const updated = await context.updateActivity({ ...toActivity(reply), id: replyToId }).then(
      () => true,
      // Some channels cannot update (or the card is gone).
      () => false,
    );
    if (updated) await remember(context, reply, replyToId);
    return updated;
  };

  const send = async (context: TurnContext, replies: Replies) => {
    for (const reply of list(replies)) {
      const sent = await context.sendActivity(toActivity(reply));
      await remember(context, reply, sent?.id);
    }
  };

  return {
    send,

    async answerInvoke(context, replies) {
      const [first, ...rest] = list(replies);
      const body = invokeBody(first ?? textReply('Done.'), deps.seal);
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
      // The answer replaces the clicked card: that message (replyToId) now shows it.
      await remember(context, first, context.activity.replyToId);
      if (rest.length > 0) await send(context, rest);
    },

    async replaceCard(context, replies) {
      const [first, ...rest] = list(replies);
      if (first && (await updateCard(context, first))) {
        if (rest.length > 0) await send(context, rest);
        return;
      }
      await send(context, replies);
    },

    updateCard,
  };
}

/** A short answer in whatever form the activity expects; other activity types get nothing. */
export async function respondWithText(context: TurnContext, text: string): Promise<void> {
  const { type, name } = context.activity;
  if (type === ActivityTypes.Invoke) {
    const body =
      name === 'adaptiveCard/action' ? { statusCode: 200, type: ACTIVITY_MESSAGE, value: text } : undefined;
    await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
  } else if (type === ActivityTypes.Message) {
    await context.sendActivity(text);
  }
}
