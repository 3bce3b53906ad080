import { z } from 'zod';
import { FieldValue } from './record.js';

export const SyncResult = z.enum(['Success', 'Failure']);
export type SyncResult = z.infer<typeof SyncResult>;

/**
 * One mapped field as the last synchronization left it on both sides. With these, a conflict is decided
 * per field (this field changed on both sides) rather than from modified-on times alone (domain.md §9).
 */
export const SyncedFieldValue = z.object({
  bcField: z.string(),
  dvField: z.string(),
  bc: FieldValue,
  dv: FieldValue,
});
export type SyncedFieldValue = z.infer<typeof SyncedFieldValue>;

/** A coupling: one BC record ↔ one Dataverse row within one mapping (domain.md §2). */
export const Coupling = z.object({
  mapping: z.string(),
  bcId: z.string(),
  bcNumber: z.string(),
  dvId: z.string(),
  lastSyncedBcModifiedOn: z.date().nullable(),
  lastSyncedDvModifiedOn: z.date().nullable(),
  lastSyncResultBc: SyncResult.nullable(),
  lastSyncResultDv: SyncResult.nullable(),
  lastJobId: z.string().nullable(),
  skipped: z.boolean(),
  coupledAt: z.date(),
  coupledBy: z.string(),
  /** Where the coupling came from: 'manual', 'match:<runId>', 'create-new', 'sync', 'dataverse'. */
  origin: z.string(),
  /** Mapped values after the last successful synchronization; absent until the first one. */
  lastSyncedValues: z.array(SyncedFieldValue).optional(),
  /** Runs in a row that found the record changed on both sides (a ping-pong); 0 or absent otherwise. */
  bothSidesRuns: z.number().int().min(0).optional(),
});
export type Coupling = z.infer<typeof Coupling>;
