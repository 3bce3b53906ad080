import type { IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import type { SyncDeps } from './deps.js';
import { computePatch, type FieldChange } from './fields.js';

/**
 * After a record was created from its partner, the partner may need the new record's one-way values
 * back (a customer created from an account gets its No. from BC's number series, and No. flows to
 * accountnumber). Writing them now leaves the pair in step, so the next run finds it Unchanged.
 */
export async function completePair(
  deps: Pick<SyncDeps, 'bc' | 'dv'>,
  mapping: IntegrationTableMapping,
  bc: BcRecord,
  dv: DvRow,
  created: 'bc' | 'dv',
): Promise<{ bc: BcRecord; dv: DvRow; changes: FieldChange[] }> {
  if (created === 'bc') {
    const back = computePatch(mapping.fields, 'ToIntegrationTable', bc.fields, dv.fields);
    if (back.changes.length === 0 || back.errors.length > 0) return { bc, dv, changes: [] };
    const [r] = await deps.dv.updateMany(mapping.dvTable, [{ id: dv.id, fields: back.fields }]);
    return r?.ok ? { bc, dv: r.value, changes: back.changes } : { bc, dv, changes: [] };
  }
  const back = computePatch(mapping.fields, 'FromIntegrationTable', dv.fields, bc.fields);
  if (back.changes.length === 0 || back.errors.length > 0) return { bc, dv, changes: [] };
  const [r] = await deps.bc.updateMany(mapping.bcTable, [{ id: bc.id, fields: back.fields }]);
  return r?.ok ? { bc: r.value, dv, changes: back.changes } : { bc, dv, changes: [] };
}
