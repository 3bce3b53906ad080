import { renderCard, type CardData, type CardName } from '../../cards/index.js';
import type { Clock } from '../../core/ports/clock.js';
import { cardReply, type AdaptiveCard, type Reply } from '../reply.js';
import type { TurnRequest } from '../turn.js';

/** A rendered card as a reply value (the renderer validates the data and refuses leftovers). */
export function card<N extends CardName>(name: N, data: CardData<N>, rememberAs?: string): Reply {
  return cardReply(renderCard(name, data) as AdaptiveCard, rememberAs);
}

/** The card that replaces a clicked one: who did what, when — and no buttons, so no second click. */
export function outcome(
  turn: TurnRequest,
  services: { clock: Clock },
  o: {
    title: string;
    lines?: string[];
    tone?: 'success' | 'failure' | 'warning' | 'info';
    /** The job the card reports: its Undo button. */
    undoJobId?: string | undefined;
  },
): Reply {
  return card('outcome', {
    title: o.title,
    by: turn.actor.name,
    at: services.clock.now(),
    lines: o.lines ?? [],
    tone: o.tone ?? 'success',
    undoJobId: o.undoJobId ?? '',
  });
}
