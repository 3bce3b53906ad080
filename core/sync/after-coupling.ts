import type { CoupleResult } from '../coupling/establish.js';
import type { Actor } from '../model/actor.js';
import type { SyncAfterCoupling } from '../model/mapping.js';
import type { SyncOption } from './change-detection.js';
import type { SyncRunResult } from './outcome.js';
import type { SyncService } from './sync-service.js';

/** Synchronize After Coupling (domain.md §2): which side's data the new pair starts from. */
const DIRECTION_OF: Record<Exclude<SyncAfterCoupling, 'No'>, SyncOption> = {
  'Yes - Use the Business Central data': 'ToIntegrationTable',
  'Yes - Use the Dataverse data': 'FromIntegrationTable',
};

/** The Synchronize Now direction a Synchronize After Coupling choice asks for. */
export const syncDirectionOf = (choice: Exclude<SyncAfterCoupling, 'No'>): SyncOption => DIRECTION_OF[choice];

/**
 * Runs the synchronization a coupling request asked for, right after the coupling was made: null when
 * none was asked for, or when the pair was already coupled (that request changed nothing, so neither
 * does its synchronization).
 */
export async function synchronizeAfterCoupling(
  sync: Pick<SyncService, 'synchronizeNow'>,
  actor: Actor,
  result: Pick<CoupleResult, 'mapping' | 'coupling' | 'alreadyCoupled' | 'syncAfterCoupling'>,
): Promise<SyncRunResult | null> {
  if (result.alreadyCoupled || result.syncAfterCoupling === 'No') return null;
  const direction = syncDirectionOf(result.syncAfterCoupling);
  return sync.synchronizeNow(actor, result.mapping, [result.coupling.bcId], direction);
}
