import { DomainError, ErrorCode } from '../../core/errors.js';
import { staleErrorRefusal, type ErrorActionResult } from '../../core/sync/error-actions.js';
import { OPTION_WORDS } from '../../core/sync/sync-service.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { card, outcome } from './cards.js';
import { directionCardData } from './sync-choice.js';
import { bcNames, clip } from './sync-names.js';
import { syncResultCard } from './sync-result.js';

const state = (r: ErrorActionResult): string =>
  r.resolved
    ? 'The error is resolved.'
    : 'The error is still open; type errors to see it and choose another action.';

/** The card replacing a clicked error action: the run's result card when it synchronized, else the outcome. */
export async function errorActionReply(
  action: string,
  result: ErrorActionResult,
  turn: TurnRequest,
  services: BotServices,
): Promise<Reply> {
  const e = result.error;
  if (result.run) {
    return syncResultCard(result.run, services, {
      direction: `${action} · ${e.mapping} ${e.bcNumber}`,
      summary: `${action} by ${turn.actor.name}: ${result.message} ${state(result)}`,
    });
  }
  return outcome(turn, services, {
    title: `${action}: ${e.mapping} ${e.bcNumber}`,
    lines: [result.message, state(result)],
    tone: result.resolved ? 'success' : 'warning',
  });
}

/**
 * Synchronize on an error: the direction card with only one-way options (which side wins), acting
 * on the error. An error already resolved says so at once instead of offering a useless choice.
 */
export async function sideChoiceCard(errorId: string, services: BotServices): Promise<Reply> {
  const e = await services.syncErrors.get(errorId);
  if (!e) {
    throw new DomainError(
      ErrorCode.NotFound,
      'There is no synchronization error with that id; it may have been cleaned up. Type errors to see the list.',
    );
  }
  if (e.status !== 'open') throw staleErrorRefusal(e);
  const m = await services.mappings.get(e.mapping);
  const choice = await services.sync.recommend(m.name, [e.bcId]);
  const options = choice.options.filter((o) => o !== 'Bidirectional');
  const [only] = options;
  const names = await bcNames(services, m.bcTable, [e.bcId]);
  const labels = new Map([[e.bcId, { number: e.bcNumber, name: names.get(e.bcId) ?? '' }]]);
  const sides = options.map((o) => OPTION_WORDS[o]).join(' or ');
  const data = directionCardData(
    m,
    { ...choice, options, recommended: options.length === 1 && only ? only : null },
    labels,
    e.id,
  );
  return card('syncDirection', {
    ...data,
    explanation: clip(`${e.message} Choose which side wins: ${sides}.`, 4000),
  });
}
