import type { CouplingRepository } from '../coupling/coupling-repository.js';
import type { FieldMapping } from '../model/mapping.js';
import type { FieldValue, Fields } from '../model/record.js';
import type { DvTable } from '../model/tables.js';
import type { DataversePort } from '../ports/dataverse.js';
import type { Pass } from './pass.js';
import { parseConstant, type Converted } from './values.js';

/**
 * Dataverse lookup columns that hold a row of another mapping. Business Central keeps the related
 * record's code (Currency Code "EUR"); Dataverse keeps the id of the related row. As in BC's own
 * integration, a value crosses through the couplings of that mapping — never by guessing from a name or
 * an ISO code — so both connectors (the sandbox stores row ids too) take the same path. Data, not code:
 * a new lookup is one more row here.
 */
export interface LookupColumn {
  /** The mapping whose couplings translate the values. */
  mapping: string;
  /** The related BC record as people call it ("Currency EUR"). */
  bcNoun: string;
  /** The related Dataverse table, and the column that names one of its rows in messages. */
  dvTable: DvTable;
  dvLabel: string;
  /** The command that couples one related BC record, followed by its code. */
  couple: string;
}

export const LOOKUP_COLUMNS: Readonly<Record<string, LookupColumn>> = {
  transactioncurrencyid: {
    mapping: 'CURRENCY',
    bcNoun: 'Currency',
    dvTable: 'transactioncurrency',
    dvLabel: 'isocurrencycode',
    couple: 'couple currency',
  },
};

export const lookupOf = (fm: Pick<FieldMapping, 'dvField'>): LookupColumn | undefined =>
  Object.prototype.hasOwnProperty.call(LOOKUP_COLUMNS, fm.dvField) ? LOOKUP_COLUMNS[fm.dvField] : undefined;

/** What reading ahead needs: the couplings, and (to name an uncoupled row in a message) Dataverse. */
export interface LookupSource {
  couplings: Pick<CouplingRepository, 'getByBcNumber' | 'getManyByDvIds'>;
  dv?: Pick<DataversePort, 'getMany'>;
}

interface Known {
  /** BC code → Dataverse row id; null: read, and not coupled. */
  toDv: Map<string, string | null>;
  /** Dataverse row id (lower case) → BC code; null: read, and not coupled. */
  toBc: Map<string, string | null>;
  /** Names of uncoupled Dataverse rows (their ISO code), for the message. */
  labels: Map<string, string>;
}

const text = (v: FieldValue | undefined): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v : null;

/**
 * Lookup values of a run, read ahead: `prepare` reads the couplings the records of a batch need (each
 * value once per run), then `translate` answers synchronously, so transferring values stays a pure
 * function of the records (core/sync/fields.ts).
 */
export class LookupValues {
  private readonly known = new Map<string, Known>();

  constructor(private readonly source: LookupSource | null) {}

  async prepare(
    fields: readonly FieldMapping[],
    records: { bc?: readonly Fields[]; dv?: readonly Fields[] },
  ): Promise<void> {
    for (const fm of fields) {
      const column = lookupOf(fm);
      if (!column || fm.status !== 'Enabled') continue;
      const k = this.knownFor(column);
      const constant = fm.constant === null ? null : text(parseConstant(fm.constant));
      const codes = new Set([
        ...(records.bc ?? []).flatMap((r) => text(r[fm.bcField]) ?? []),
        ...(constant === null ? [] : [constant]),
      ]);
      const ids = new Set((records.dv ?? []).flatMap((r) => text(r[fm.dvField])?.toLowerCase() ?? []));
      await this.readCodes(
        column,
        k,
        [...codes].filter((c) => !k.toDv.has(c)),
      );
      await this.readIds(
        column,
        k,
        [...ids].filter((id) => !k.toBc.has(id)),
      );
    }
  }

  /** The value for the target side of `pass`; blank stays blank. */
  translate(fm: FieldMapping, pass: Pass, value: FieldValue): Converted {
    const column = lookupOf(fm);
    if (!column) return { ok: true, value };
    const toDv = pass === 'ToIntegrationTable';
    if (value === null || value === '') return { ok: true, value: toDv ? null : '' };
    if (typeof value !== 'string') {
      return { ok: false, error: `${toDv ? fm.bcField : fm.dvField} holds ${String(value)}, not a code.` };
    }
    const k = this.knownFor(column);
    const found = toDv ? k.toDv.get(value) : k.toBc.get(value.toLowerCase());
    // A value nobody read ahead is a bug of the caller, not of the data: stop rather than guess.
    if (found === undefined) throw new Error(`Lookup ${fm.dvField} = "${value}" was not prepared.`);
    if (found !== null) return { ok: true, value: found };
    return {
      ok: false,
      error: toDv ? notCoupledToDv(fm, column, value) : notCoupledToBc(fm, column, value, k),
    };
  }

  private knownFor(column: LookupColumn): Known {
    let k = this.known.get(column.mapping);
    if (!k) this.known.set(column.mapping, (k = { toDv: new Map(), toBc: new Map(), labels: new Map() }));
    return k;
  }

  /** Few distinct codes per run (currencies): one look-up each, side by side. */
  private async readCodes(column: LookupColumn, k: Known, codes: string[]): Promise<void> {
    if (codes.length === 0) return;
    const couplings = this.requireSource().couplings;
    const found = await Promise.all(codes.map((code) => couplings.getByBcNumber(column.mapping, code)));
    codes.forEach((code, i) => {
      const c = found[i];
      k.toDv.set(code, c?.dvId ?? null);
      if (c) k.toBc.set(c.dvId.toLowerCase(), code);
    });
  }

  private async readIds(column: LookupColumn, k: Known, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const source = this.requireSource();
    const couplings = await source.couplings.getManyByDvIds(column.mapping, ids);
    for (const c of couplings) {
      k.toBc.set(c.dvId.toLowerCase(), c.bcNumber);
      k.toDv.set(c.bcNumber, c.dvId);
    }
    const missing = ids.filter((id) => !k.toBc.has(id));
    missing.forEach((id) => k.toBc.set(id, null));
    if (missing.length === 0 || !source.dv) return;
    for (const row of await source.dv.getMany(column.dvTable, missing)) {
      const label = text(row.fields[column.dvLabel]);
      if (label) k.labels.set(row.id.toLowerCase(), label);
    }
  }

  private requireSource(): LookupSource {
    if (!this.source) throw new Error('Lookup values need couplings to be read; none were given.');
    return this.source;
  }
}

function notCoupledToDv(fm: FieldMapping, column: LookupColumn, code: string): string {
  return (
    `${fm.bcField} ${code} cannot be written to ${fm.dvField}: ${column.bcNoun} ${code} is not coupled to a ` +
    `Dataverse ${column.bcNoun.toLowerCase()}; couple it first: ${column.couple} ${code}.`
  );
}

function notCoupledToBc(fm: FieldMapping, column: LookupColumn, id: string, k: Known): string {
  const label = k.labels.get(id.toLowerCase());
  const what = label ? `${label} (${id})` : id;
  const how = label ? `${column.couple} ${label}` : `couple ${column.dvTable} ${id}`;
  return (
    `${fm.dvField} cannot be written to ${fm.bcField}: the Dataverse ${column.bcNoun.toLowerCase()} ${what} ` +
    `is not coupled to a Business Central ${column.bcNoun.toLowerCase()}; couple it first: ${how}.`
  );
}

/** For callers that transfer no lookup values (tests, seeding): any lookup value met is a bug. */
export const NO_LOOKUPS = new LookupValues(null);
