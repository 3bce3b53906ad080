import { z } from 'zod';

export const SyncResult = z.enum(['Success', 'Failure']);
export type SyncResult = z.infer<typeof SyncResult>;

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
});
export type Coupling = z.infer<typeof Coupling>;
