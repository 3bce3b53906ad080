import type { ConversationReferences } from '../../core/conversations/conversation-references.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { referenceOf, type Proactive } from '../notifications/proactive.js';
import { cardReply, type AdaptiveCard, type Replier, type Reply } from '../reply.js';

/**
 * Writes to a conversation outside of the user's turn — the managers' copies of a results card, the
 * update of every copy after a decision, a progress card replaced by its result — through the same
 * replier as the turns, so cards are sealed alike and cards sent with `rememberAs` are remembered.
 */
export interface CardMessenger {
  /** Sends a new message (a card with `rememberAs` is remembered under that key once sent). */
  send(conversationId: string, reply: Reply): Promise<void>;
  /** Replaces the card of an earlier message in place (or sends it anew where that fails). */
  update(conversationId: string, activityId: string, card: AdaptiveCard): Promise<void>;
}

export function createCardMessenger(deps: {
  proactive: Proactive;
  conversations: Pick<ConversationReferences, 'get'>;
  replier: Pick<Replier, 'send' | 'replaceCard'>;
}): CardMessenger {
  const reference = async (conversationId: string) => {
    const stored = await deps.conversations.get(conversationId);
    if (!stored)
      throw new DomainError(ErrorCode.NotFound, `No stored conversation reference for ${conversationId}.`);
    return referenceOf(stored);
  };

  return {
    async send(conversationId, reply) {
      await deps.proactive(await reference(conversationId), (context) => deps.replier.send(context, reply));
    },
    async update(conversationId, activityId, card) {
      await deps.proactive(await reference(conversationId), async (context) => {
        // The continued turn stands for the card's message, so the replier updates that message.
        context.activity.replyToId = activityId;
        await deps.replier.replaceCard(context, cardReply(card));
      });
    },
  };
}
