import type { Db } from 'mongodb';
import { ensureLeaseIndexes } from '../scheduler/slots.js';
import { ensurePreviewIndexes } from './preview/preview-repository.js';
import { ensureSyncErrorIndexes } from './sync-error-repository.js';

/** Collections and indexes of synchronization: `syncErrors`, the scheduler's slots and previews. Idempotent. */
export async function ensureSyncIndexes(db: Db): Promise<void> {
  await ensureSyncErrorIndexes(db);
  await ensureLeaseIndexes(db);
  await ensurePreviewIndexes(db);
}
