import { cardRefKey } from '../../core/conversations/card-refs.js';
import type { Logger } from '../../core/logger.js';
import type { MatchRun } from '../../core/match/run-documents.js';
import { cardReply } from '../reply.js';
import type { BotServices } from '../services.js';
import { resultsCardJson } from './match-cards.js';

/**
 * Every copy of a run's results card — the one in the conversation where it was run and one per
 * manager — is remembered under `matchRun:<id>` (core card refs), so that a decision can update them all.
 */
export const runCardKey = (runId: string): string => cardRefKey('matchRun', runId);

type Log = Pick<Logger, 'warn'>;

export async function rememberCopy(
  services: BotServices,
  runId: string,
  conversationId: string | undefined,
  activityId: string | undefined,
): Promise<void> {
  if (!conversationId || !activityId) return;
  await services.cardRefs.remember({ key: runCardKey(runId), conversationId, activityId });
}

/** Proposals, Create New rows or near candidates: something a manager can approve. */
export const awaitsApproval = (run: MatchRun): boolean =>
  run.status === 'Proposed' && run.counts.proposed + run.counts.wouldCreate + (run.counts.near ?? 0) > 0;

/**
 * Sends the results card, with its decision buttons, to every manager who has a personal chat with the
 * bot — except in the conversation the run was started from, which has its card already.
 */
export async function notifyManagers(
  services: BotServices,
  runId: string,
  exceptConversationId: string | undefined,
  logger: Log,
): Promise<number> {
  const messenger = services.match.messenger;
  if (!messenger) return 0;
  // Roles compare ids case-insensitively; stored references keep the case Teams sent.
  const ids = [...new Set(services.match.managerIds.flatMap((id) => [id, id.toLowerCase()]))];
  const chats = (await services.conversations.listForUsers(ids)).filter(
    (c) => c.conversationId !== exceptConversationId,
  );
  if (chats.length === 0) return 0;
  const card = await resultsCardJson(services, runId, { canDecide: true });
  let sent = 0;
  for (const chat of chats) {
    try {
      await messenger.send(chat.conversationId, cardReply(card, runCardKey(runId)));
      sent += 1;
    } catch (err) {
      // One manager's chat that cannot be reached (bot removed, app blocked) must not stop the others.
      logger.warn({ err, conversationId: chat.conversationId, runId }, 'could not notify a manager');
    }
  }
  return sent;
}

/**
 * Replaces every remembered copy of the run's card with the run as it stands now (after a decision:
 * who, when, counts, no buttons), except the one the decider clicked — the invoke answers that one.
 */
export async function updateCopies(
  services: BotServices,
  runId: string,
  skip: { conversationId: string | undefined; activityId: string | undefined },
  logger: Log,
): Promise<number> {
  const messenger = services.match.messenger;
  if (!messenger) return 0;
  const copies = (await services.cardRefs.list(runCardKey(runId))).filter(
    (c) => !(c.conversationId === skip.conversationId && c.activityId === skip.activityId),
  );
  if (copies.length === 0) return 0;
  const card = await resultsCardJson(services, runId, { canDecide: false });
  let updated = 0;
  for (const copy of copies) {
    try {
      await messenger.update(copy.conversationId, copy.activityId, cardReply(card));
      updated += 1;
    } catch (err) {
      logger.warn({ err, conversationId: copy.conversationId, runId }, 'could not update a copy of the card');
    }
  }
  return updated;
}
