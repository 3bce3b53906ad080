import { bcName } from '../../coupling/labels.js';
import type { IntegrationTableMapping } from '../../model/mapping.js';
import { DV_NAME_FIELDS } from '../../model/tables.js';
import type { SyncDeps } from '../deps.js';
import { CATEGORIES, type PreviewSummary } from './summary.js';

/** Names for the few examples a preview shows: one read per side. */
export async function nameExamples(
  deps: Pick<SyncDeps, 'bc' | 'dv'>,
  mapping: IntegrationTableMapping,
  summary: PreviewSummary,
): Promise<void> {
  const examples = CATEGORIES.flatMap((c) => summary[c].examples);
  const bcIds = [...new Set(examples.flatMap((e) => (e.bcId ? [e.bcId] : [])))];
  const dvIds = [...new Set(examples.flatMap((e) => (!e.bcId && e.dvId ? [e.dvId] : [])))];
  const bc = new Map(
    (bcIds.length ? await deps.bc.getManyByIds(mapping.bcTable, bcIds) : []).map((r) => [r.id, bcName(r)]),
  );
  const nameField = DV_NAME_FIELDS[mapping.dvTable];
  const dv = new Map(
    (dvIds.length ? await deps.dv.getMany(mapping.dvTable, dvIds) : []).map((r) => [
      r.id,
      String(r.fields[nameField] ?? ''),
    ]),
  );
  for (const e of examples)
    e.name = ((e.bcId ? bc.get(e.bcId) : e.dvId ? dv.get(e.dvId) : '') ?? '').slice(0, 200);
}
