import type { ConversationReference, TurnContext } from 'botbuilder';
import type { StoredConversation } from '../../core/conversations/conversation-references.js';

/**
 * Continues a conversation outside of a user's turn (adapter.continueConversationAsync with the bot's
 * app id). Built in the composition root from the adapter; absent where there is none.
 */
export type Proactive = (
  reference: Partial<ConversationReference>,
  logic: (context: TurnContext) => Promise<void>,
) => Promise<void>;

/** The adapter call bot/composition/run.ts makes; the app id comes from configuration ('' when authentication is off). */
export function proactiveVia(
  adapter: {
    continueConversationAsync(
      botAppId: string,
      reference: Partial<ConversationReference>,
      logic: (context: TurnContext) => Promise<void>,
    ): Promise<void>;
  },
  appId: string | undefined,
): Proactive {
  return (reference, logic) => adapter.continueConversationAsync(appId ?? '', reference, logic);
}

/** Stored references are opaque to core; this is where they become Bot Framework references again. */
export const referenceOf = (c: StoredConversation): Partial<ConversationReference> =>
  c.reference as Partial<ConversationReference>;
