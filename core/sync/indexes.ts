import type { Db } from 'mongodb';
import { ensureLeaseIndexes } from '../scheduler/slots.js';
import { ensureSyncErrorIndexes } from './sync-error-repository.js';

/** Collections and indexes of synchronization: `syncErrors` and the scheduler's slots. Idempotent. */
export async function ensureSyncIndexes(db: Db): Promise<void> {
  await ensureSyncErrorIndexes(db);
  await ensureLeaseIndexes(db);
}
