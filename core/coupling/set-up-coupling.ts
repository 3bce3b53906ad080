import type { Actor } from '../model/actor.js';
import type { Coupling } from '../model/coupling.js';
import { requireAvailable } from '../mappings/availability.js';
import { passesFilter } from '../model/filter.js';
import { flowsToDataverse, SyncAfterCoupling, type IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import type { BcTable } from '../model/tables.js';
import { buildProbes, rankRows } from './candidates.js';
import type { CouplingDeps } from './deps.js';
import { syncAfterCouplingAllowed } from './establish.js';
import { requireBcTable, requireNumber } from './inputs.js';
import { bcLabel, notFoundBc } from './labels.js';
import { shownMappingForBcTable } from './mapping-lookup.js';
import type { RecordIds } from './record-ids.js';

export const MAX_CANDIDATES = 15;
/** Rows fetched before filtering and ranking: rows of other companies must not crowd out ours. */
const FETCH = 200;

export interface CurrentCoupling {
  coupling: Coupling;
  /** The coupled row; null when it was deleted in Dataverse since. */
  partner: DvRow | null;
}

export interface Candidate {
  row: DvRow;
  score: number;
  reasons: string[];
  /** Set when the row is already coupled: to this record, or to another one (then it cannot be picked). */
  coupledTo: { bcId: string; bcNumber: string; label: string; isThisRecord: boolean } | null;
}

/** A BC record with its coupling: what `show customer 10000` displays. */
export interface RecordView {
  mapping: IntegrationTableMapping;
  record: BcRecord;
  label: string;
  insideTableFilter: boolean;
  current: CurrentCoupling | null;
}

export interface SetUpCouplingView extends RecordView {
  candidates: Candidate[];
  /** Create New is offered only when data flows to Dataverse (domain.md §2). */
  canCreateNew: boolean;
  /** The Synchronize After Coupling options the mapping's direction allows. */
  syncAfterCouplingOptions: SyncAfterCoupling[];
}

/** The record and the mapping that couples its table; the mapping from the recent snapshot (a view). */
async function loadRecord(
  deps: CouplingDeps,
  bcTable: BcTable,
  number: unknown,
): Promise<{ mapping: IntegrationTableMapping; record: BcRecord }> {
  const table = requireBcTable(bcTable);
  const no = requireNumber(number, table);
  // The mapping first: a table the connector cannot serve is refused with its reason, not read.
  const mapping = requireAvailable(deps, await shownMappingForBcTable(deps.mappings, table));
  const record = await deps.bc.getByNumber(table, no);
  if (!record) throw notFoundBc(table, no);
  return { mapping, record };
}

async function currentCoupling(
  deps: CouplingDeps,
  mapping: IntegrationTableMapping,
  record: Pick<BcRecord, 'id'>,
): Promise<CurrentCoupling | null> {
  const coupling = await deps.couplings.getByBcId(mapping.name, record.id);
  return coupling ? { coupling, partner: await deps.dv.get(mapping.dvTable, coupling.dvId) } : null;
}

const recordView = (
  mapping: IntegrationTableMapping,
  record: BcRecord,
  current: CurrentCoupling | null,
): RecordView => ({
  mapping,
  record,
  label: bcLabel(record),
  insideTableFilter: passesFilter(record.fields, mapping.tableFilter),
  current,
});

/**
 * `show customer 10000`: the record, its coupling and partner. With the record's id remembered from an
 * earlier card, the coupling (and partner) is read side by side with the record: one round of reads.
 */
export async function describeRecord(
  deps: CouplingDeps,
  bcTable: BcTable,
  number: unknown,
  ids?: RecordIds,
): Promise<RecordView> {
  const table = requireBcTable(bcTable);
  const no = requireNumber(number, table);
  // A table the connector cannot serve is refused with its reason, not read.
  const mapping = requireAvailable(deps, await shownMappingForBcTable(deps.mappings, table));
  const knownId = ids?.get(table, no);
  const [record, early] = await Promise.all([
    deps.bc.getByNumber(table, no),
    knownId ? currentCoupling(deps, mapping, { id: knownId }) : undefined,
  ]);
  if (!record) {
    ids?.forget(table, no);
    throw notFoundBc(table, no);
  }
  ids?.remember(table, no, record.id);
  const current = knownId === record.id ? early : await currentCoupling(deps, mapping, record);
  return recordView(mapping, record, current ?? null);
}

/** Up to 15 rows inside the Integration Table Filter, best first, each with whom it is coupled to. */
async function candidatesFor(
  deps: CouplingDeps,
  m: IntegrationTableMapping,
  record: BcRecord,
): Promise<Candidate[]> {
  const probes = buildProbes(m, record);
  const rows = (await deps.dv.findCandidates(m.dvTable, probes, FETCH)).filter((r) =>
    passesFilter(r.fields, m.integrationTableFilter),
  );
  const ranked = rankRows(m.dvTable, probes, rows, MAX_CANDIDATES);
  const couplings = await deps.couplings.getManyByDvIds(
    m.name,
    ranked.map((r) => r.row.id),
  );
  const partners = await deps.bc.getManyByIds(
    m.bcTable,
    couplings.filter((c) => c.bcId !== record.id).map((c) => c.bcId),
  );
  const byDv = new Map(couplings.map((c) => [c.dvId, c]));
  const byBc = new Map([record, ...partners].map((p) => [p.id, p]));
  return ranked.map(({ row, score, reasons }): Candidate => {
    const c = byDv.get(row.id);
    if (!c) return { row, score, reasons, coupledTo: null };
    const partner = byBc.get(c.bcId);
    const label = partner ? bcLabel(partner) : `${m.bcTable} ${c.bcNumber}`;
    return {
      row,
      score,
      reasons,
      coupledTo: { bcId: c.bcId, bcNumber: c.bcNumber, label, isThisRecord: c.bcId === record.id },
    };
  });
}

/**
 * Set Up Coupling (domain.md §2): the record, its current coupling and up to 15 candidate rows inside
 * the Integration Table Filter, best first, each with its reasons and whether it is coupled already.
 * The current coupling and the candidates need only the record, so they are read side by side.
 */
export async function setUpCoupling(
  deps: CouplingDeps,
  _actor: Actor,
  bcTable: BcTable,
  number: unknown,
): Promise<SetUpCouplingView> {
  const { mapping: m, record } = await loadRecord(deps, bcTable, number);
  const [current, candidates] = await Promise.all([
    currentCoupling(deps, m, record),
    candidatesFor(deps, m, record),
  ]);
  const view = recordView(m, record, current);
  const syncAfterCouplingOptions = SyncAfterCoupling.options.filter((o) =>
    syncAfterCouplingAllowed(m.direction, o),
  );
  return { ...view, candidates, canCreateNew: flowsToDataverse(m.direction), syncAfterCouplingOptions };
}
