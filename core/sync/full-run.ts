import type { Coupling } from '../model/coupling.js';
import { passesFilter } from '../model/filter.js';
import { flowsToBusinessCentral, flowsToDataverse, type IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import { BC_KEY_FIELDS } from '../model/tables.js';
import { inSlices } from './chunks.js';
import { syncCoupled } from './engine.js';
import { insertUncoupled } from './inserts.js';
import {
  batchOf,
  fromBcListing,
  fromDvListing,
  itemsFor,
  marksAfter,
  retryWaiting,
  Seen,
  type Marks,
} from './mapping-run.js';
import { estimateFullRun } from './full-run-estimate.js';
import { chooseRead, type ReadWay } from './read-choice.js';
import { expectRecords, type RunContext, type WorkItem } from './run-context.js';

/**
 * Full synchronization: every coupling of the mapping, then (Synch. Only Coupled Records off) every
 * uncoupled record. Each side is read whichever way needs fewer requests (read-choice.ts): its coupled
 * records by id, or the whole table page by page with only the fields the mapping uses, joined to the
 * couplings by id in memory. Change detection is the engine's either way.
 *
 * Paged, Dataverse is read first and kept (one copy, the mapped columns only); Business Central is then
 * streamed page by page against it. A row absent from a complete read is gone; a read that fails part-way
 * ends the run with its error before anything is taken as deleted. Couplings made after the reads
 * started, and BC records the listing did not meet, are confirmed by id.
 */
export async function runAll(ctx: RunContext, startedAt: Date): Promise<Marks> {
  const { deps, mapping } = ctx;
  const seen = new Seen();
  const estimate = await estimateFullRun(ctx);
  if (estimate !== null) await expectRecords(ctx, estimate);
  const ways = await chooseWays(ctx);
  deps.logger?.info({ mapping: mapping.name, reads: ways }, 'full synchronization reads');
  if (ways.bc === 'by-id' && ways.dv === 'by-id') {
    for await (const page of deps.couplings.list(mapping.name, { pageSize: batchOf(ctx) })) {
      await syncCoupled(ctx, await itemsFor(ctx, page, seen));
    }
    if (!mapping.syncOnlyCoupled) {
      if (flowsToDataverse(mapping.direction)) await fromBcListing(ctx, seen, null);
      if (flowsToBusinessCentral(mapping.direction)) await fromDvListing(ctx, seen, null);
    }
    await retryWaiting(ctx, seen);
    return marksAfter(seen, startedAt);
  }
  const readStart = deps.clock.now();
  const dvRows = ways.dv === 'paged' ? await wholeDataverse(ctx, seen) : undefined;
  if (ways.bc === 'paged') {
    await bcPages(ctx, seen, dvRows, readStart);
    await notMet(ctx, seen, dvRows, readStart);
  } else {
    for await (const page of deps.couplings.list(mapping.name, { pageSize: batchOf(ctx) })) {
      await syncCoupled(ctx, await pairUp(ctx, page, seen, { dv: dvRows }, readStart));
    }
    if (!mapping.syncOnlyCoupled && flowsToDataverse(mapping.direction)) await fromBcListing(ctx, seen, null);
  }
  if (dvRows) await uncoupledDataverse(ctx, seen, dvRows);
  else if (!mapping.syncOnlyCoupled && flowsToBusinessCentral(mapping.direction))
    await fromDvListing(ctx, seen, null);
  await retryWaiting(ctx, seen);
  return marksAfter(seen, startedAt);
}

async function chooseWays(ctx: RunContext): Promise<{ bc: ReadWay; dv: ReadWay }> {
  const { deps, mapping } = ctx;
  if (!deps.bc.readCosts && !deps.dv.readCosts) return { bc: 'by-id', dv: 'by-id' };
  const coupled = await deps.couplings.count(mapping.name);
  const listing = !mapping.syncOnlyCoupled;
  const bc = await chooseRead(deps.bc.readCosts, mapping.bcTable, {
    coupled,
    listsTableAnyway: listing && flowsToDataverse(mapping.direction),
  });
  const dv = await chooseRead(deps.dv.readCosts, mapping.dvTable, {
    coupled,
    listsTableAnyway: listing && flowsToBusinessCentral(mapping.direction),
  });
  return { bc: bc.way, dv: dv.way };
}

/**
 * Every Dataverse row of the table, filter or not: a coupled row outside the Integration Table Filter
 * still exists (the engine reports it as outside), so only a read of the whole table tells absent from deleted.
 */
async function wholeDataverse(ctx: RunContext, seen: Seen): Promise<Map<string, DvRow>> {
  const { deps, mapping } = ctx;
  const rows = new Map<string, DvRow>();
  const pageSize = deps.dv.readCosts?.pageSize;
  for await (const page of deps.dv.list(mapping.dvTable, [], pageSize ? { pageSize } : {})) {
    seen.note('dv', page);
    for (const row of page) rows.set(row.id, row);
  }
  return rows;
}

/** The BC fields a full synchronization uses: mapped, filtered on, and the record's number and name. */
export function bcFieldsUsed(mapping: IntegrationTableMapping): string[] {
  const keys = BC_KEY_FIELDS[mapping.bcTable];
  return [
    ...new Set([
      ...mapping.fields.map((f) => f.bcField),
      ...mapping.tableFilter.map((c) => c.field),
      keys.number,
      keys.name,
    ]),
  ];
}

/** The BC table page by page; each slice of a page is joined to its couplings and synchronized. */
async function bcPages(
  ctx: RunContext,
  seen: Seen,
  dvRows: Map<string, DvRow> | undefined,
  readStart: Date,
): Promise<void> {
  const { deps, mapping } = ctx;
  const size = batchOf(ctx);
  const options = { pageSize: deps.bc.readCosts?.pageSize, select: bcFieldsUsed(mapping) };
  const inserting = !mapping.syncOnlyCoupled && flowsToDataverse(mapping.direction);
  for await (const page of deps.bc.list(mapping.bcTable, options)) {
    seen.note('bc', page);
    for (let i = 0; i < page.length; i += size) {
      const part = page.slice(i, i + size);
      const listed = new Map(part.map((r) => [r.id, r]));
      const couplings = await inSlices([...listed.keys()], (ids) =>
        deps.couplings.getManyByBcIds(mapping.name, ids),
      );
      await syncCoupled(ctx, await pairUp(ctx, couplings, seen, { bc: listed, dv: dvRows }, readStart));
      if (!inserting) continue;
      const coupled = new Set(couplings.map((c) => c.bcId));
      const uncoupled = part.filter(
        (r) => !coupled.has(r.id) && !ctx.done.has(r.id) && passesFilter(r.fields, mapping.tableFilter),
      );
      if (uncoupled.length > 0)
        await insertUncoupled(ctx, { pass: 'ToIntegrationTable', records: uncoupled });
    }
  }
}

/**
 * Couplings the complete BC listing did not meet: their records were deleted, or were created or
 * coupled while the listing ran. They are read by id, so only a record really gone counts as deleted.
 */
async function notMet(
  ctx: RunContext,
  seen: Seen,
  dvRows: Map<string, DvRow> | undefined,
  readStart: Date,
): Promise<void> {
  const { deps, mapping } = ctx;
  const size = batchOf(ctx);
  let pending: string[] = [];
  const flush = async () => {
    const couplings = await deps.couplings.getManyByBcIds(mapping.name, pending);
    pending = [];
    await syncCoupled(ctx, await pairUp(ctx, couplings, seen, { dv: dvRows }, readStart));
  };
  for await (const ids of deps.couplings.bcIds(mapping.name, { pageSize: 5000 })) {
    for (const id of ids) if (!ctx.done.has(id)) pending.push(id);
    if (pending.length >= size) await flush();
  }
  if (pending.length > 0) await flush();
}

/**
 * Rows of the whole Dataverse read no coupling took: uncoupled ones inside the Integration Table Filter
 * are created in BC (Synch. Only Coupled Records off); rows coupled meanwhile are synchronized.
 */
async function uncoupledDataverse(ctx: RunContext, seen: Seen, dvRows: Map<string, DvRow>): Promise<void> {
  const { deps, mapping } = ctx;
  if (mapping.syncOnlyCoupled || !flowsToBusinessCentral(mapping.direction)) return;
  const rest = [...dvRows.values()].filter((r) => passesFilter(r.fields, mapping.integrationTableFilter));
  dvRows.clear();
  const size = batchOf(ctx);
  for (let i = 0; i < rest.length; i += size) {
    const part = rest.slice(i, i + size);
    const listed = new Map(part.map((r) => [r.id, r]));
    const couplings = await deps.couplings.getManyByDvIds(mapping.name, [...listed.keys()]);
    await syncCoupled(ctx, await itemsFor(ctx, couplings, seen, listed));
    const coupled = new Set(couplings.map((c) => c.dvId));
    const uncoupled = part.filter((r) => !coupled.has(r.id));
    if (uncoupled.length > 0)
      await insertUncoupled(ctx, { pass: 'FromIntegrationTable', records: uncoupled });
  }
}

/**
 * Both sides of each coupling not yet examined. A side given as `known` was read completely: a record
 * absent from it is gone, unless its coupling was made after the reads started (then it is read by id).
 * A side not given is read by id. Dataverse rows taken here leave `known.dv`, so what remains is uncoupled.
 */
async function pairUp(
  ctx: RunContext,
  couplings: readonly Coupling[],
  seen: Seen,
  known: { bc?: ReadonlyMap<string, BcRecord>; dv?: Map<string, DvRow> },
  readStart: Date,
): Promise<WorkItem[]> {
  const { deps, mapping } = ctx;
  const fresh = couplings.filter((c) => !ctx.done.has(c.bcId));
  fresh.forEach((c) => ctx.done.add(c.bcId));
  const late = (c: Coupling) => c.coupledAt.getTime() >= readStart.getTime();
  const needBc = fresh.filter((c) => !known.bc || (!known.bc.has(c.bcId) && late(c))).map((c) => c.bcId);
  const needDv = fresh.filter((c) => !known.dv || (!known.dv.has(c.dvId) && late(c))).map((c) => c.dvId);
  const bcs = await inSlices(needBc, (ids) => deps.bc.getManyByIds(mapping.bcTable, ids));
  const dvs = await inSlices(needDv, (ids) => deps.dv.getMany(mapping.dvTable, ids));
  seen.note('bc', bcs);
  seen.note('dv', dvs);
  const bcById = new Map(bcs.map((r) => [r.id, r]));
  const dvById = new Map(dvs.map((r) => [r.id, r]));
  return fresh.map((c) => {
    const dv = known.dv?.get(c.dvId) ?? dvById.get(c.dvId) ?? null;
    known.dv?.delete(c.dvId);
    return { coupling: c, bc: known.bc?.get(c.bcId) ?? bcById.get(c.bcId) ?? null, dv };
  });
}
