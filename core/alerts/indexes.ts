import type { Db } from 'mongodb';
import { ensureDigestIndexes } from './recurring-digest.js';
import { ensureScheduleHealthIndexes } from './schedule-health.js';

/** Collections of the managers' alerts: schedule health per mapping, and the daily digests sent. */
export async function ensureAlertIndexes(db: Db): Promise<void> {
  await ensureScheduleHealthIndexes(db);
  await ensureDigestIndexes(db);
}
