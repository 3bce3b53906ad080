import { TurnContext, type Middleware } from 'botbuilder';
import type { Logger } from '../../core/logger.js';
import type { ConversationInput } from '../../core/conversations/conversation-references.js';
import { tenantOf } from '../turn.js';

/** Saving is idempotent, so it is skipped while nothing about the reference changed. */
const MAX_REMEMBERED = 5_000;

/**
 * Keeps each conversation's reference for proactive messages (match results to approve, failed jobs).
 * A failure to save is logged and never blocks the user's request.
 */
export function saveConversationReference(
  save: (input: ConversationInput) => Promise<void>,
  logger: Logger,
): Middleware {
  const saved = new Set<string>();
  return {
    async onTurn(context, next) {
      const { activity } = context;
      const conversationId = activity.conversation?.id;
      if (conversationId && activity.serviceUrl) {
        const conversationType = activity.conversation.conversationType ?? 'personal';
        // A personal chat is someone's only by their Entra object id, never by from.id.
        const userId = conversationType === 'personal' ? activity.from?.aadObjectId || null : null;
        const fingerprint = `${conversationId}|${activity.serviceUrl}|${userId}`;
        if (!saved.has(fingerprint)) {
          const reference = JSON.parse(
            JSON.stringify(TurnContext.getConversationReference(activity)),
          ) as Record<string, unknown>;
          try {
            await save({
              conversationId,
              conversationType,
              tenantId: tenantOf(context) ?? null,
              userId,
              reference,
            });
            if (saved.size >= MAX_REMEMBERED) saved.clear();
            saved.add(fingerprint);
          } catch (err) {
            logger.warn({ err, conversationId }, 'could not save the conversation reference');
          }
        }
      }
      await next();
    },
  };
}
