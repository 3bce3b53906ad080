import { passesFilter } from '../../model/filter.js';
import {
  flowsToBusinessCentral,
  flowsToDataverse,
  type IntegrationTableMapping,
} from '../../model/mapping.js';
import { DV_NAME_FIELDS } from '../../model/tables.js';
import type { SyncDeps } from '../deps.js';
import type { StoredPreview } from './preview-repository.js';
import { stampOf } from './stamps.js';

/** Record labels named in a refusal; the rest are counted. */
const NAMED = 5;

/**
 * The records changed since a preview: those modified after its cutoff that it did not read, or read
 * with another ETag or time. Only records changed since are read, however large the table.
 */
export async function recordsChangedSince(
  deps: Pick<SyncDeps, 'bc' | 'dv' | 'couplings'>,
  mapping: IntegrationTableMapping,
  p: StoredPreview,
): Promise<{ count: number; named: string[] }> {
  const known = { bc: new Map(p.stamps.bc), dv: new Map(p.stamps.dv) };
  // An uncoupled record matters only where the run would create its partner (Synch. Only Coupled Records off).
  const creates = {
    toDv: !mapping.syncOnlyCoupled && flowsToDataverse(mapping.direction),
    toBc: !mapping.syncOnlyCoupled && flowsToBusinessCentral(mapping.direction),
  };
  const named: string[] = [];
  let count = 0;
  const changed = (label: string) => {
    count += 1;
    if (named.length < NAMED) named.push(label);
  };
  for await (const page of deps.bc.list(mapping.bcTable, { modifiedSince: p.cutoff })) {
    const fresh = page.filter(
      (r) => passesFilter(r.fields, mapping.tableFilter) && known.bc.get(r.id) !== stampOf(r),
    );
    if (fresh.length === 0) continue;
    const coupled = new Set(
      (
        await deps.couplings.getManyByBcIds(
          mapping.name,
          fresh.map((r) => r.id),
        )
      ).map((c) => c.bcId),
    );
    for (const r of fresh) if (coupled.has(r.id) || creates.toDv) changed(r.number);
  }
  const dvName = DV_NAME_FIELDS[mapping.dvTable];
  for await (const page of deps.dv.list(mapping.dvTable, mapping.integrationTableFilter, {
    modifiedSince: p.cutoff,
  })) {
    const fresh = page.filter((r) => known.dv.get(r.id) !== stampOf(r));
    if (fresh.length === 0) continue;
    const coupled = new Map(
      (
        await deps.couplings.getManyByDvIds(
          mapping.name,
          fresh.map((r) => r.id),
        )
      ).map((c) => [c.dvId, c.bcNumber]),
    );
    for (const r of fresh) {
      const number = coupled.get(r.id);
      if (number !== undefined) changed(number);
      else if (creates.toBc) changed(String(r.fields[dvName] ?? r.id));
    }
  }
  return { count, named };
}
