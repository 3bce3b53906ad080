import { DomainError, ErrorCode } from '../errors.js';
import type { IntegrationTableMapping, SyncAfterCoupling } from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import { newRecordPatch } from '../sync/new-record-patch.js';
import type { CouplingDeps } from './deps.js';
import { bcLabel } from './labels.js';

/**
 * Coupling with Synchronize After Coupling would synchronize at once; when that synchronization can
 * only fail because something the record refers to is not coupled yet (a contact's customer), the
 * coupling is refused up front with the fix, and nothing is changed — as Create New refuses it.
 */
export async function refuseWhileWaiting(
  deps: CouplingDeps,
  m: IntegrationTableMapping,
  bc: BcRecord,
  dv: DvRow,
  choice: SyncAfterCoupling,
): Promise<void> {
  if (choice === 'No') return;
  const toDv = choice === 'Yes - Use the Business Central data';
  const patch = toDv
    ? await newRecordPatch(deps, m, 'ToIntegrationTable', bc.fields)
    : await newRecordPatch(deps, m, 'FromIntegrationTable', dv.fields);
  if (patch.waitingFor.length === 0) return;
  throw new DomainError(
    ErrorCode.NotAllowedByMapping,
    `${bcLabel(bc)} cannot be coupled with synchronization yet: ${patch.errors.join(' ')} Nothing was changed.`,
  );
}
