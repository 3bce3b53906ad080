import type { Coupling } from '../model/coupling.js';
import { passesFilter } from '../model/filter.js';
import { flowsToBusinessCentral, flowsToDataverse } from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import { inSlices } from './chunks.js';
import { syncCoupled } from './engine.js';
import type { Side } from './fields.js';
import { insertUncoupled } from './inserts.js';
import { expectRecords, type RunContext, type WorkItem } from './run-context.js';

/**
 * Whole-mapping runs: Synchronize Modified Records and full synchronization. Both read in batches and
 * hand each batch to the engine. A record is examined at most once per run (`ctx.done`), even when
 * both of its sides show up, or it was created or re-coupled under a new id earlier in the run.
 */

const DEFAULT_BATCH = 1000;
/** Clock skew allowed between this server and BC / Dataverse when moving the high-water marks. */
const SKEW_MS = 60_000;

export interface Marks {
  bc: Date | null;
  dv: Date | null;
}

export class Seen {
  readonly max: Marks = { bc: null, dv: null };
  note(side: 'bc' | 'dv', records: ReadonlyArray<{ modifiedOn: Date }>): void {
    for (const r of records) {
      const m = this.max[side];
      if (m === null || r.modifiedOn > m) this.max[side] = r.modifiedOn;
    }
  }
}

export const batchOf = (ctx: RunContext): number => ctx.deps.batchSize ?? DEFAULT_BATCH;
type Listed = BcRecord | DvRow;

/** Both sides of a page of couplings, read in one call per side. */
export async function itemsFor(
  ctx: RunContext,
  couplings: readonly Coupling[],
  seen: Seen,
  known?: Map<string, BcRecord | DvRow>,
): Promise<WorkItem[]> {
  const { deps, mapping } = ctx;
  const fresh = couplings.filter((c) => !ctx.done.has(c.bcId));
  fresh.forEach((c) => ctx.done.add(c.bcId));
  const needBc = fresh.filter((c) => !known?.has(c.bcId)).map((c) => c.bcId);
  const needDv = fresh.filter((c) => !known?.has(c.dvId)).map((c) => c.dvId);
  const bcs = await inSlices(needBc, (ids) => deps.bc.getManyByIds(mapping.bcTable, ids));
  const dvs = await inSlices(needDv, (ids) => deps.dv.getMany(mapping.dvTable, ids));
  seen.note('bc', bcs);
  seen.note('dv', dvs);
  const byId = new Map<string, BcRecord | DvRow>([
    ...(known ?? []),
    ...bcs.map((r) => [r.id, r] as const),
    ...dvs.map((r) => [r.id, r] as const),
  ]);
  return fresh.map((c) => ({
    coupling: c,
    bc: (byId.get(c.bcId) as BcRecord) ?? null,
    dv: (byId.get(c.dvId) as DvRow) ?? null,
  }));
}

/**
 * A listed record whose modified-on is exactly the one its coupling stored has not changed since the
 * last synchronization — typically the previous run's own write, listed again because the marks keep a
 * margin for clock skew. Its partner is not read for it: this side has nothing to send, and whatever the
 * partner's side changed is listed by that side's own listing (bidirectional), or does not flow at all
 * (one direction). The record is not marked done, so that listing still examines it.
 */
function changedSince(
  couplings: readonly Coupling[],
  listed: ReadonlyMap<string, Listed>,
  side: Side,
): Coupling[] {
  return couplings.filter((c) => {
    const stamp = side === 'bc' ? c.lastSyncedBcModifiedOn : c.lastSyncedDvModifiedOn;
    const record = listed.get(side === 'bc' ? c.bcId : c.dvId);
    return !stamp || !record || stamp.getTime() !== record.modifiedOn.getTime();
  });
}

/** BC records modified since the mark (or all): their coupled partners are synchronized; uncoupled ones may be created. */
export async function fromBcListing(ctx: RunContext, seen: Seen, since: Date | null): Promise<void> {
  const { deps, mapping } = ctx;
  const opts = { pageSize: batchOf(ctx), ...(since ? { modifiedSince: since } : {}) };
  for await (const page of deps.bc.list(mapping.bcTable, opts)) {
    seen.note('bc', page);
    const inside = page.filter((r) => passesFilter(r.fields, mapping.tableFilter));
    const couplings = await inSlices(
      inside.map((r) => r.id),
      (ids) => deps.couplings.getManyByBcIds(mapping.name, ids),
    );
    const listed = new Map(inside.map((r) => [r.id, r]));
    await syncCoupled(ctx, await itemsFor(ctx, changedSince(couplings, listed, 'bc'), seen, listed));
    const coupled = new Set(couplings.map((c) => c.bcId));
    const uncoupled = inside.filter((r) => !coupled.has(r.id) && !ctx.done.has(r.id));
    if (!mapping.syncOnlyCoupled && flowsToDataverse(mapping.direction) && uncoupled.length > 0) {
      await insertUncoupled(ctx, { pass: 'ToIntegrationTable', records: uncoupled });
    }
  }
}

/** Dataverse rows modified since the mark (or all), inside the Integration Table Filter. */
export async function fromDvListing(ctx: RunContext, seen: Seen, since: Date | null): Promise<void> {
  const { deps, mapping } = ctx;
  const opts = { pageSize: batchOf(ctx), ...(since ? { modifiedSince: since } : {}) };
  for await (const page of deps.dv.list(mapping.dvTable, mapping.integrationTableFilter, opts)) {
    seen.note('dv', page);
    const couplings = await inSlices(
      page.map((r) => r.id),
      (ids) => deps.couplings.getManyByDvIds(mapping.name, ids),
    );
    const listed = new Map(page.map((r) => [r.id, r]));
    await syncCoupled(ctx, await itemsFor(ctx, changedSince(couplings, listed, 'dv'), seen, listed));
    const coupled = new Set(couplings.map((c) => c.dvId));
    const uncoupled = page.filter((r) => !coupled.has(r.id));
    if (!mapping.syncOnlyCoupled && flowsToBusinessCentral(mapping.direction) && uncoupled.length > 0) {
      await insertUncoupled(ctx, { pass: 'FromIntegrationTable', records: uncoupled });
    }
  }
}

/**
 * The marks a finished run may store: the latest modified-on it read, but never later than its own
 * start minus the skew. Records edited while the run was reading (and the run's own writes) are then
 * listed again next time; their couplings' stamps say whether they really changed, so nothing is lost
 * and nothing is echoed.
 */
export function marksAfter(seen: Seen, startedAt: Date): Marks {
  const cap = new Date(startedAt.getTime() - SKEW_MS);
  const clamp = (d: Date | null) => (d === null ? null : d < cap ? d : cap);
  return { bc: clamp(seen.max.bc), dv: clamp(seen.max.dv) };
}

/**
 * Records that failed only because something they refer to was not coupled yet (a contact whose
 * customer was not coupled) are tried again by every run, changed or not, until they go through. Their
 * open error is refreshed in place, never duplicated, and closed when they succeed.
 */
export async function retryWaiting(ctx: RunContext, seen: Seen): Promise<void> {
  const { deps, mapping } = ctx;
  const waiting = (await deps.errors.listWaiting(mapping.name)).filter((e) => !ctx.done.has(e.bcId));
  if (waiting.length === 0) return;
  const ids = waiting.map((e) => e.bcId);
  const couplings = await inSlices(ids, (slice) => deps.couplings.getManyByBcIds(mapping.name, slice));
  if (couplings.length > 0) await syncCoupled(ctx, await itemsFor(ctx, couplings, seen));
  const coupled = new Set(couplings.map((c) => c.bcId));
  const rest = ids.filter((id) => !coupled.has(id) && !ctx.done.has(id));
  if (rest.length === 0 || mapping.syncOnlyCoupled || !flowsToDataverse(mapping.direction)) return;
  const records = await inSlices(rest, (slice) => deps.bc.getManyByIds(mapping.bcTable, slice));
  const inside = records.filter((r) => passesFilter(r.fields, mapping.tableFilter));
  if (inside.length > 0) await insertUncoupled(ctx, { pass: 'ToIntegrationTable', records: inside });
}

/** Synchronize Modified Records: BC → Dataverse first, then Dataverse → BC (domain.md §3). */
export async function runModified(ctx: RunContext, startedAt: Date): Promise<Marks> {
  const { mapping } = ctx;
  const seen = new Seen();
  if (flowsToDataverse(mapping.direction)) await fromBcListing(ctx, seen, mapping.lastSyncedBcModifiedOn);
  if (flowsToBusinessCentral(mapping.direction))
    await fromDvListing(ctx, seen, mapping.lastSyncedDvModifiedOn);
  await retryWaiting(ctx, seen);
  return marksAfter(seen, startedAt);
}

/** Synchronize Now and error actions: the given coupled records, in batches. */
export async function runRecords(ctx: RunContext, couplings: readonly Coupling[]): Promise<void> {
  const seen = new Seen();
  const size = batchOf(ctx);
  await expectRecords(ctx, couplings.length);
  for (let i = 0; i < couplings.length; i += size) {
    await syncCoupled(ctx, await itemsFor(ctx, couplings.slice(i, i + size), seen));
  }
}
