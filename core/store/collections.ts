import type { Db } from 'mongodb';

/**
 * Every collection the store uses (design.md "Storage"), named in one place so two modules can never
 * pick the same name by accident. Sandbox tables (`bc.*`, `dv.*`) are named by the sandbox adapter.
 */
export const COLLECTIONS = Object.freeze({
  mappings: 'mappings',
  couplings: 'couplings',
  pendingCreates: 'pendingCreates',
  matchRuns: 'matchRuns',
  matchRunRows: 'matchRunRows',
  jobs: 'jobs',
  syncErrors: 'syncErrors',
  audit: 'audit',
  conversations: 'conversations',
  cardRefs: 'cardRefs',
  leases: 'leases',
  runLocks: 'runLocks',
  scheduleHealth: 'scheduleHealth',
  digests: 'digests',
  syncPreviews: 'syncPreviews',
  /** What each job changed, kept 7 days so it can be undone. */
  undoJournal: 'undoJournal',
} as const);

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** MongoDB's "NamespaceExists": another instance created the collection between our check and create. */
const NAMESPACE_EXISTS = 48;

/** Creates the collection when it is missing; safe when several instances start at once. */
export async function ensureCollection(db: Db, name: string): Promise<void> {
  const existing = await db.listCollections({ name }, { nameOnly: true }).toArray();
  if (existing.length > 0) return;
  try {
    await db.createCollection(name);
  } catch (e) {
    if ((e as { code?: unknown }).code !== NAMESPACE_EXISTS) throw e;
  }
}
