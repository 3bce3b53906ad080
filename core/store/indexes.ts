import type { Db } from 'mongodb';
import { ensureAlertIndexes } from '../alerts/indexes.js';
import { ensureAuditIndexes } from '../audit/audit-log.js';
import { ensureCardRefIndexes } from '../conversations/card-refs.js';
import { ensureConversationIndexes } from '../conversations/conversation-references.js';
import { ensureCouplingIndexes } from '../coupling/coupling-repository.js';
import { ensureJobIndexes } from '../jobs/job-repository.js';
import { ensureMappingIndexes } from '../mappings/mapping-repository.js';
import { ensureMatchIndexes } from '../match/match-run-repository.js';
import { ensureSyncIndexes } from '../sync/indexes.js';
import { ensureUndoJournalIndexes } from '../undo/journal-repository.js';

/**
 * Every module that owns a collection declares its collection and indexes in an `ensureXxxIndexes(db)`
 * next to its repository and adds ONE line here. Each must be idempotent (safe on every start-up and
 * when several instances start at once): createIndexes with fixed names, ensureCollection.
 */
const REGISTRY: ReadonlyArray<(db: Db) => Promise<void>> = [
  ensureMappingIndexes,
  ensureJobIndexes,
  ensureAuditIndexes,
  ensureConversationIndexes,
  ensureCardRefIndexes,
  ensureMatchIndexes,
  ensureCouplingIndexes,
  ensureSyncIndexes,
  ensureAlertIndexes,
  ensureUndoJournalIndexes,
];

export async function ensureIndexes(db: Db): Promise<void> {
  // One after the other: start-up is rare, and a failure then names the first module that failed.
  for (const ensure of REGISTRY) await ensure(db);
}
