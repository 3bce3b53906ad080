import { createHash } from 'node:crypto';
import { describeFilter } from '../../model/filter.js';
import type { IntegrationTableMapping } from '../../model/mapping.js';

/** A preview's kind: the run it previews. */
export type PreviewKind = 'all' | 'modified' | 'uncouple-all';

/** What a preview depended on in its mapping, in words a person reads back when it changed. */
export interface MappingSettings {
  direction: string;
  syncOnlyCoupled: boolean;
  tableFilter: string;
  integrationTableFilter: string;
  updateConflictResolution: string;
  deletionConflictResolution: string;
  /** The field mappings, hashed: listing them all back would not help anyone. */
  fields: string;
  /** High-water marks (Synchronize Modified Records starts from them): ISO times or ''. */
  marks: string;
}

const LABELS: Record<Exclude<keyof MappingSettings, 'fields' | 'marks'>, string> = {
  direction: 'direction',
  syncOnlyCoupled: 'Synch. Only Coupled Records',
  tableFilter: 'Table Filter',
  integrationTableFilter: 'Integration Table Filter',
  updateConflictResolution: 'Resolve Update Conflicts',
  deletionConflictResolution: 'Resolve Deletion Conflicts',
};

const iso = (d: Date | null): string => (d ? d.toISOString() : '');

export function settingsOf(m: IntegrationTableMapping): MappingSettings {
  return {
    direction: m.direction,
    syncOnlyCoupled: m.syncOnlyCoupled,
    tableFilter: describeFilter(m.tableFilter),
    integrationTableFilter: describeFilter(m.integrationTableFilter),
    updateConflictResolution: m.updateConflictResolution,
    deletionConflictResolution: m.deletionConflictResolution,
    fields: createHash('sha256').update(JSON.stringify(m.fields)).digest('hex'),
    marks: `${iso(m.lastSyncedBcModifiedOn)}|${iso(m.lastSyncedDvModifiedOn)}`,
  };
}

const shown = (v: string | boolean): string => (typeof v === 'boolean' ? (v ? 'on' : 'off') : v || '(none)');

/** "the mapping's direction changed from Bidirectional to ToIntegrationTable", one per difference. */
export function settingChanges(kind: PreviewKind, then: MappingSettings, now: MappingSettings): string[] {
  // Deleting couplings does not depend on how records are synchronized.
  if (kind === 'uncouple-all') return [];
  const out: string[] = [];
  for (const [key, label] of Object.entries(LABELS) as Array<[keyof typeof LABELS, string]>) {
    if (then[key] !== now[key])
      out.push(`the mapping's ${label} changed from ${shown(then[key])} to ${shown(now[key])}`);
  }
  if (then.fields !== now.fields) out.push("the mapping's field mappings changed");
  // Another run moved the marks: the records it synchronized are no longer the preview's to send.
  if (kind === 'modified' && then.marks !== now.marks)
    out.push('another Synchronize Modified Records of this mapping ran');
  return out;
}
