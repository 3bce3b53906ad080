import type { Db } from 'mongodb';
import { z } from 'zod';
import { newId } from '../ids.js';
import type { Actor } from '../model/actor.js';
import type { Clock } from '../ports/clock.js';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import { clampLimit, filterString, parseDocs } from '../store/documents.js';

/** One audit entry: who did what, when, from which conversation (issue 3: every change is audited). */
export const AuditEntry = z.object({
  id: z.string(),
  at: z.date(),
  actorId: z.string(),
  actorName: z.string(),
  conversationId: z.string().nullable(),
  /** Stable verb such as 'mapping.direction', 'coupling.create', 'match.approve'. */
  action: z.string(),
  mapping: z.string().nullable(),
  /** What was changed, e.g. 'mapping:CUSTOMER', 'customer:10000', 'matchRun:<id>'. */
  subject: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export interface AuditRecordInput {
  actor: Actor;
  action: string;
  mapping?: string | null;
  subject: string;
  details?: Record<string, unknown>;
}

export interface AuditListFilter {
  mapping?: string;
  subject?: string;
  /** Newest first; 20 unless said, at most 200. */
  limit?: number;
}

export interface AuditLog {
  record(input: AuditRecordInput): Promise<AuditEntry>;
  list(filter?: AuditListFilter): Promise<AuditEntry[]>;
}

export async function ensureAuditIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.audit);
  await db.collection(COLLECTIONS.audit).createIndexes([
    { key: { id: 1 }, name: 'id_unique', unique: true },
    { key: { at: -1 }, name: 'at' },
    { key: { subject: 1, at: -1 }, name: 'subject_at' },
    { key: { mapping: 1, at: -1 }, name: 'mapping_at' },
  ]);
}

export function createAuditLog(deps: { db: Db; clock: Clock }): AuditLog {
  const col = deps.db.collection(COLLECTIONS.audit);
  return {
    async record({ actor, action, mapping, subject, details }) {
      const entry: AuditEntry = {
        id: newId(),
        at: deps.clock.now(),
        actorId: actor.id,
        actorName: actor.name,
        conversationId: actor.conversationId ?? null,
        action,
        mapping: mapping ?? null,
        subject,
        details: details ?? {},
      };
      // A copy: insertOne adds `_id` (an ObjectId, which also orders entries written in the same ms).
      await col.insertOne({ ...entry });
      return entry;
    },

    async list(filter = {}) {
      const query: Record<string, string> = {};
      if (filter.mapping !== undefined) query['mapping'] = filterString(filter.mapping, 'Mapping name');
      if (filter.subject !== undefined) query['subject'] = filterString(filter.subject, 'Audit subject');
      const docs = await col
        .find(query)
        .sort({ at: -1, _id: -1 })
        .limit(clampLimit(filter.limit, 20, 200))
        .toArray();
      return parseDocs(AuditEntry, docs, 'audit');
    },
  };
}
