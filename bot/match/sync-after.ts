import { isDomainError } from '../../core/errors.js';
import type { ApplyOutcome } from '../../core/match/match-service.js';
import type { Actor } from '../../core/model/actor.js';
import { syncDirectionOf } from '../../core/sync/after-coupling.js';
import { MAX_RECORDS_PER_REQUEST } from '../../core/sync/sync-service.js';
import type { BotServices } from '../services.js';

/**
 * Synchronize After Coupling for the records an approval coupled: Synchronize Now in the chosen
 * direction, in requests of at most MAX_RECORDS_PER_REQUEST. Returns what to tell the approver, or
 * null when nothing was asked for.
 */
export async function synchronizeAfterCoupling(
  services: BotServices,
  actor: Actor,
  outcome: ApplyOutcome,
): Promise<string | null> {
  const choice = outcome.syncAfterCoupling;
  if (choice === 'No' || outcome.coupled.length === 0) return null;
  const label = `Synchronize After Coupling (${choice}) for ${outcome.run.mapping}`;
  const synchronizeNow = services.match.synchronizeNow;
  if (!synchronizeNow) return `${label} was not run: synchronization is not connected to the bot yet.`;
  const ids = outcome.coupled.map((c) => c.bcId);
  const messages: string[] = [];
  try {
    for (let i = 0; i < ids.length; i += MAX_RECORDS_PER_REQUEST) {
      const chunk = ids.slice(i, i + MAX_RECORDS_PER_REQUEST);
      const result = await synchronizeNow(actor, outcome.run.mapping, chunk, syncDirectionOf(choice));
      messages.push(`job ${result.job.id}: ${result.job.message}`);
    }
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return `${label} did not run${messages.length ? ' completely' : ''}: ${e.message}`;
  }
  return `${label}, ${ids.length} newly coupled record${ids.length === 1 ? '' : 's'}: ${messages.join('; ')}`;
}
