import type { z } from 'zod';
import { DomainError, ErrorCode } from '../../core/errors.js';
import type { Verb } from '../../cards/verbs.js';
import type { Replies } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';

/**
 * One card action (style.md §2): its verb, the zod schema of its (untrusted) data, and a handler that
 * returns the card replacing the clicked one — the outcome, so the same card cannot be clicked twice
 * into a second change. Core re-checks permissions and state; this layer only checks shapes.
 */
export interface ActionSpec<D> {
  verb: Verb;
  data: z.ZodType<D>;
  handle(data: D, turn: TurnRequest, services: BotServices): Promise<Replies>;
}

export interface Action {
  readonly verb: Verb;
  run(data: Record<string, unknown>, turn: TurnRequest, services: BotServices): Promise<Replies>;
}

export const FORGED_DATA =
  'This card’s data was changed or comes from elsewhere, so I did not act on it. Nothing was changed; ' +
  'run the command again to get a fresh card.';

export function defineAction<D>(spec: ActionSpec<D>): Action {
  return {
    verb: spec.verb,
    async run(data, turn, services) {
      const parsed = spec.data.safeParse(data);
      if (!parsed.success) {
        turn.logger.warn({ verb: spec.verb, issues: parsed.error.issues.slice(0, 3) }, 'card data rejected');
        throw new DomainError(ErrorCode.InvalidInput, FORGED_DATA);
      }
      return spec.handle(parsed.data, turn, services);
    },
  };
}
