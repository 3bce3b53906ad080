import type { Reply } from '../reply.js';
import { NoConversationReference, type CardMessenger } from './messenger.js';

/** A message that shows a progress card, which the result will replace. */
export interface ProgressCopy {
  conversationId: string;
  activityId: string;
}

/**
 * THE progress-card policy for work that outlasts its turn (background synchronization jobs, match runs
 * and match decisions; a match answers with its result itself when it is ready within
 * MATCH_PROGRESS_AFTER_MS): the turn answers with a progress card; when the work ends, its first reply
 * replaces every known copy of that card in place, through the messenger. Where no copy is known (a
 * channel that gave no message id, or a first reply that is text) it is sent to the conversation as a
 * new message instead; further replies follow as messages. A copy that cannot be updated is handed to
 * `onCopyFailed` when given (the others are still updated), and fails the whole otherwise.
 * Returns whether the result replaced the progress card in place.
 */
export async function showResult(
  messenger: CardMessenger,
  where: { conversationId: string | undefined; copies: readonly ProgressCopy[] },
  replies: readonly Reply[],
  onCopyFailed?: (copy: ProgressCopy, err: unknown) => void,
): Promise<boolean> {
  const [first, ...rest] = replies;
  if (!first) return false;
  const inPlace = first.kind === 'card' && where.copies.length > 0;
  const toConversation = () => {
    if (!where.conversationId) throw new NoConversationReference('(none)');
    return where.conversationId;
  };
  if (inPlace) {
    for (const copy of where.copies) {
      try {
        await messenger.update(copy.conversationId, copy.activityId, first);
      } catch (err) {
        if (!onCopyFailed) throw err;
        onCopyFailed(copy, err);
      }
    }
  } else {
    await messenger.send(toConversation(), first);
  }
  for (const reply of rest) await messenger.send(toConversation(), reply);
  return inPlace;
}
