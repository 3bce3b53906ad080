import type { StoredPreview } from '../../core/sync/preview/preview-repository.js';
import { answerInTime } from '../match/answer-in-time.js';
import { textReply, type Replies } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { previewCard } from '../views/sync-preview.js';

/**
 * A preview reads what the run would read, which on a large table takes as long: quick ones answer
 * the turn with the card, slow ones with a note at once and the card as a message when it is ready.
 */
export function answerWithPreview(
  turn: TurnRequest,
  services: BotServices,
  mapping: string,
  work: Promise<StoredPreview>,
): Promise<Replies> {
  return answerInTime(turn, services, {
    work,
    progress: () =>
      textReply(
        `Computing the preview of ${mapping}… it follows as a message when it is ready. Nothing is written meanwhile.`,
      ),
    done: async (p) => [previewCard(p)],
  });
}
