import type { ConversationReferences } from '../../core/conversations/conversation-references.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import type { Replier, Reply } from '../reply.js';
import { referenceOf, type Proactive } from './proactive.js';

/** The conversation was never stored (the bot was never messaged there): nothing can be sent to it. */
export class NoConversationReference extends DomainError {
  override readonly name = 'NoConversationReference';
  constructor(readonly conversationId: string) {
    super(ErrorCode.NotFound, `No stored conversation reference for ${conversationId}.`);
  }
}

/**
 * THE way the bot writes to a conversation outside of a user's turn — a job card replaced by its
 * result, a progress card replaced by the match results, the managers' copies of a results card and
 * their update after a decision, the managers' alert after a scheduled run. It goes through the same
 * replier as the turns, so cards are sealed alike and cards sent with `rememberAs` are remembered.
 * One instance per bot, built by the composition root when it has an adapter.
 */
export interface CardMessenger {
  /** Sends a new message (a card with `rememberAs` is remembered under that key once sent). */
  send(conversationId: string, reply: Reply): Promise<void>;
  /** Replaces the card of an earlier message in place (or sends it anew where that fails). */
  update(conversationId: string, activityId: string, reply: Reply): Promise<void>;
  /**
   * Replaces the card of an earlier message in place, and only that: false where the channel cannot
   * update it (a progress line is not worth a new message).
   */
  updateInPlace(conversationId: string, activityId: string, reply: Reply): Promise<boolean>;
}

export function createCardMessenger(deps: {
  proactive: Proactive;
  conversations: Pick<ConversationReferences, 'get'>;
  replier: Pick<Replier, 'send' | 'replaceCard' | 'updateCard'>;
}): CardMessenger {
  const reference = async (conversationId: string) => {
    const stored = await deps.conversations.get(conversationId);
    if (!stored) throw new NoConversationReference(conversationId);
    return referenceOf(stored);
  };

  return {
    async send(conversationId, reply) {
      await deps.proactive(await reference(conversationId), (context) => deps.replier.send(context, reply));
    },
    async update(conversationId, activityId, reply) {
      await deps.proactive(await reference(conversationId), async (context) => {
        // The continued turn stands for the card's message, so the replier updates that message.
        context.activity.replyToId = activityId;
        await deps.replier.replaceCard(context, reply);
      });
    },
    async updateInPlace(conversationId, activityId, reply) {
      let updated = false;
      await deps.proactive(await reference(conversationId), async (context) => {
        context.activity.replyToId = activityId;
        updated = await deps.replier.updateCard(context, reply);
      });
      return updated;
    },
  };
}
