import { renderCard } from '../cards/render.js';
import { isDomainError } from '../core/errors.js';
import { asStoreUnavailable } from '../core/store/store-errors.js';
import { apology } from './adapter.js';
import { cardReply, textReply, type AdaptiveCard, type Reply } from './reply.js';
import type { TurnRequest } from './turn.js';

const SORRY = 'Sorry — something went wrong on my side. Try again in a moment.';

/**
 * An error as the user sees it (style.md §7): a DomainError's own message on the error card; anything
 * else logged with detail and answered with a short apology and the correlation id, never a stack.
 */
export function replyForError(err: unknown, turn: TurnRequest): Reply {
  if (isDomainError(err)) {
    turn.logger.info({ code: err.code, message: err.message }, 'request refused');
    return errorCard({ message: err.message }, turn) ?? textReply(err.message);
  }
  const unavailable = asStoreUnavailable(err);
  if (unavailable) {
    // Not a bug to apologise for: the user can act (retry), and /healthz already tells operators.
    turn.logger.warn({ err, code: unavailable.code }, 'store unreachable; request refused');
    return errorCard({ message: unavailable.message }, turn) ?? textReply(unavailable.message);
  }
  turn.logger.error({ err }, 'unexpected error while handling a request');
  return (
    errorCard({ title: 'Something went wrong', message: SORRY, correlationId: turn.correlationId }, turn) ??
    textReply(apology(turn.correlationId))
  );
}

function errorCard(
  data: { title?: string; message: string; correlationId?: string },
  turn: TurnRequest,
): Reply | undefined {
  try {
    return cardReply(renderCard('error', data) as AdaptiveCard);
  } catch (renderError) {
    // The message must reach the user even if the card cannot be built (e.g. an oversized message).
    turn.logger.error({ err: renderError }, 'could not render the error card');
    return undefined;
  }
}
