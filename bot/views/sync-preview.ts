import type { StoredPreview } from '../../core/sync/preview/preview-repository.js';
import { CATEGORIES, type Category } from '../../core/sync/preview/summary.js';
import type { Reply } from '../reply.js';
import { card } from './cards.js';
import { clip } from './sync-names.js';

/** What each category would mean, in the words of the result card ("Inserted", "Modified" …). */
const LABELS: Record<Category, string> = {
  insertedInDataverse: 'Would be inserted in Dataverse',
  insertedInBusinessCentral: 'Would be inserted in Business Central',
  modifiedInDataverse: 'Would be modified in Dataverse',
  modifiedInBusinessCentral: 'Would be modified in Business Central',
  coupled: 'Would be coupled to an existing record',
  uncoupled: 'Would be uncoupled',
  conflicts: 'Conflicts (would be skipped and listed under errors)',
  errors: 'Errors (would fail)',
};

const WHAT = {
  all: 'Full synchronization',
  modified: 'Synchronize Modified Records',
  'uncouple-all': 'Delete Couplings',
} as const;

function summaryLine(p: StoredPreview): string {
  if (p.kind === 'uncouple-all')
    return `${p.summary.uncoupled.count} coupling${p.summary.uncoupled.count === 1 ? '' : 's'} would be deleted; the records themselves stay.`;
  const acting = CATEGORIES.some((c) => p.summary[c].count > 0);
  const unchanged = `${p.summary.unchanged} record${p.summary.unchanged === 1 ? '' : 's'} would stay unchanged.`;
  return acting ? unchanged : `Nothing to synchronize: ${unchanged}`;
}

/** The preview card: counts per category, up to three examples each (old → new), and Run for real. */
export function previewCard(p: StoredPreview): Reply {
  return card('syncPreview', {
    previewId: p.id,
    mapping: p.mapping,
    what: p.kind === 'uncouple-all' ? WHAT[p.kind] : `${WHAT[p.kind]} · ${p.settings.direction}`,
    by: p.createdBy,
    at: p.createdAt,
    expiresAt: p.expiresAt,
    summary: summaryLine(p),
    categories: CATEGORIES.filter((c) => p.summary[c].count > 0).map((c) => ({
      label: LABELS[c],
      count: p.summary[c].count,
      examples: p.summary[c].examples.map((e) => ({
        number: e.bcNumber,
        name: clip(e.name),
        changes: e.changes.map((ch) => ({ field: clip(ch.field), from: ch.old, to: ch.new })),
        message: clip(e.message, 500),
      })),
    })),
  });
}
