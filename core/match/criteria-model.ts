import { z } from 'zod';
import { SyncAfterCoupling, UpdateConflictResolution } from '../model/mapping.js';

/** One field's match settings, as BC's Match-Based Coupling dialog shows them (domain.md §4). */
export const MatchField = z.object({
  bcField: z.string().min(1).max(100),
  dvField: z.string().min(1).max(100),
  /** Match on this Field */
  match: z.boolean(),
  /** Case-sensitive Matching */
  caseSensitive: z.boolean(),
  /** Match Priority: ascending, blank = 0 = highest. */
  priority: z.number().int().min(0).max(1000),
});
export type MatchField = z.infer<typeof MatchField>;

/** The criteria of one match run; saved per mapping and snapshotted into each run. */
export const MatchCriteria = z.object({
  fields: z.array(MatchField).max(200),
  /** Create New If Unable to Find a Match */
  createNew: z.boolean(),
  /** Synchronize After Coupling */
  syncAfterCoupling: SyncAfterCoupling,
  /** Resolve Update Conflicts: the post-coupling sync direction for bidirectional mappings. */
  resolveUpdateConflicts: UpdateConflictResolution,
});
export type MatchCriteria = z.infer<typeof MatchCriteria>;
