import type { CoupleResult } from '../../core/coupling/coupling-service.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { outcome } from './cards.js';
import { syncAfterCouplingLines } from './sync-after-coupling.js';

/** The outcome of any coupling request: what happened in core's words, and what was asked for after. */
export async function coupleOutcome(
  result: CoupleResult,
  turn: TurnRequest,
  services: BotServices,
): Promise<Reply> {
  const lines = [result.message];
  if (result.created === 'dv')
    lines.push('The Dataverse row was created from the Business Central record (Create New).');
  if (result.created === 'bc') lines.push('The Business Central record was created from the Dataverse row.');
  lines.push(...(await syncAfterCouplingLines(result, turn, services)));
  return outcome(turn, services, {
    title: result.alreadyCoupled ? 'Already coupled' : 'Coupled',
    lines,
    tone: result.alreadyCoupled ? 'info' : 'success',
    undoJobId: result.jobId,
  });
}
