import type { RecordCardData, SetUpCouplingCardData } from '../../cards/index.js';
import { bcName, dvName } from '../../core/coupling/labels.js';
import type { RecordView, SetUpCouplingView } from '../../core/coupling/coupling-service.js';
import { columnCaption } from '../../core/model/captions.js';
import { DV_KEY_COLUMNS } from '../../core/model/key-columns.js';
import { BC_KEY_FIELDS } from '../../core/model/tables.js';
import type { FieldValue } from '../../core/model/record.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import { card } from './cards.js';
import { cardLinks, type CardLinks } from './links.js';

/** How many of the record's mapped fields the card shows: enough to recognise it, not a form. */
const SHOWN_FIELDS = 12;

const shown = (v: FieldValue | undefined): v is string | number | boolean =>
  v !== undefined && v !== null && v !== '';

function keyFacts(view: RecordView) {
  const names = view.mapping.fields.filter((f) => f.status === 'Enabled').map((f) => f.bcField);
  const { name, number } = BC_KEY_FIELDS[view.record.table]; // already the card's title
  return [...new Set(names)]
    .filter((n) => n !== name && n !== number && shown(view.record.fields[n]))
    .slice(0, SHOWN_FIELDS)
    .map((n) => ({ title: n, value: String(view.record.fields[n]) }));
}

const recordRef = (view: RecordView) => ({
  mapping: view.mapping.name,
  bcTable: view.record.table,
  bcId: view.record.id,
  number: view.record.number,
  name: bcName(view.record) || '(no name)',
});

/** `show customer 10000`: the record, its coupling and the buttons that apply (core's view decides). */
export function recordCardData(view: RecordView, links?: CardLinks): RecordCardData {
  const current = view.current;
  const coupling = current && {
    dvTable: view.mapping.dvTable,
    dvName: current.partner ? dvName(current.partner) || '(no name)' : '(deleted in Dataverse)',
    dvId: current.coupling.dvId,
    coupledBy: current.coupling.coupledBy,
    coupledAt: current.coupling.coupledAt,
    lastSyncResultBc: current.coupling.lastSyncResultBc,
    lastSyncResultDv: current.coupling.lastSyncResultDv,
    skipped: current.coupling.skipped,
  };
  return {
    ...recordRef(view),
    fields: keyFacts(view),
    coupling,
    ...(links ? { links } : {}),
    actions: {
      setUpCoupling: !current && view.insideTableFilter,
      synchronizeNow: !!current,
      deleteCoupling: !!current,
    },
  };
}

/**
 * Set Up Coupling: the record and up to 15 candidate rows, best first, each with why it is one and its
 * key columns by caption; `links` opens the record, and each row, where it lives.
 */
export function setUpCouplingCardData(
  view: SetUpCouplingView,
  links?: { bc: string; rows: ReadonlyMap<string, string> },
): SetUpCouplingCardData {
  const keys = DV_KEY_COLUMNS[view.mapping.dvTable];
  const columns = [keys.number, keys.email, keys.phone].filter((c): c is string => !!c);
  const candidates = view.candidates.map((c) => ({
    dvId: c.row.id,
    name: dvName(c.row) || '(no name)',
    keyColumns: columns
      .filter((col) => shown(c.row.fields[col]))
      .map((col) => ({ title: columnCaption(view.mapping, col), value: String(c.row.fields[col]) })),
    dvLink: links?.rows.get(c.row.id) ?? '',
    reason: c.reasons.join(', '),
    alreadyCoupledTo: c.coupledTo ? (c.coupledTo.isThisRecord ? 'this record' : c.coupledTo.label) : '',
  }));
  const coupledTo = view.current
    ? `Currently coupled to ${view.mapping.dvTable} ${view.current.coupling.dvId}. `
    : '';
  return {
    ...recordRef(view),
    dvTable: view.mapping.dvTable,
    summary: keyFacts(view).slice(0, 4),
    bcLink: links?.bc ?? '',
    candidates,
    syncAfterCoupling: 'No',
    canCreateNew: view.canCreateNew && !view.current,
    note: view.current ? `${coupledTo}Delete Coupling first to couple it to another row.` : '',
  };
}

/** The record card with its links (Open in Dataverse only while it is coupled). */
export async function recordCard(view: RecordView, services: Pick<BotServices, 'links'>): Promise<Reply> {
  const dv = view.current ? { table: view.mapping.dvTable, id: view.current.coupling.dvId } : null;
  const links = await cardLinks(services, { table: view.record.table, number: view.record.number }, dv);
  return card('record', recordCardData(view, links));
}

/** The Set Up Coupling card with Open in Business Central for the record and Open in Dataverse per row. */
export async function setUpCouplingCard(
  view: SetUpCouplingView,
  services: Pick<BotServices, 'links'>,
): Promise<Reply> {
  const bc = await services.links.businessCentral(view.record.table, view.record.number);
  const rows = new Map<string, string>();
  for (const c of view.candidates) {
    const url = services.links.dataverse(view.mapping.dvTable, c.row.id);
    if (url) rows.set(c.row.id, url);
  }
  return card('setUpCoupling', setUpCouplingCardData(view, { bc: bc ?? '', rows }));
}
