import type { FieldMapping } from '../model/mapping.js';
import type { FieldValue, Fields } from '../model/record.js';
import type { Pass } from './pass.js';
import { CoupledLookup, type CoupledColumn } from './lookups/coupled.js';
import { CurrencyLookup } from './lookups/currency.js';
import { ParentLookup } from './lookups/parent.js';
import type { LookupResolver, LookupSource } from './lookups/source.js';
import { parseConstant, type Translated } from './values.js';

export type { LookupSource } from './lookups/source.js';

/**
 * Dataverse look-up columns of the default mappings and how Business Central resolves each
 * (domain.md §1): Currency Code by ISO code with the base currency for blank/LCY (no coupling needed),
 * Salesperson Code → ownerid through SALESPEOPLE couplings, Primary Contact No. ↔ primarycontactid
 * through CONTACT couplings, a contact's company ↔ parentcustomerid through its business relation and
 * that customer's or vendor's coupling. Data, not code: a new look-up is one more row here.
 */
type LookupKind = { kind: 'currency' } | { kind: 'parent' } | ({ kind: 'coupled' } & CoupledColumn);

export const LOOKUP_COLUMNS: Readonly<Record<string, LookupKind>> = {
  transactioncurrencyid: { kind: 'currency' },
  ownerid: {
    kind: 'coupled',
    mapping: 'SALESPEOPLE',
    bcNoun: 'Salesperson',
    word: 'salesperson',
    dvNoun: 'user',
    blank: 'keep',
  },
  primarycontactid: {
    kind: 'coupled',
    mapping: 'CONTACT',
    bcNoun: 'Contact',
    word: 'contact',
    dvNoun: 'contact',
    blank: 'clear',
  },
  parentcustomerid: { kind: 'parent' },
};

export const lookupOf = (fm: Pick<FieldMapping, 'dvField'>): LookupKind | undefined =>
  Object.prototype.hasOwnProperty.call(LOOKUP_COLUMNS, fm.dvField) ? LOOKUP_COLUMNS[fm.dvField] : undefined;

const text = (v: FieldValue | undefined): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v : null;

/**
 * Look-up values of a run, read ahead: `prepare` reads what the records of a batch need (each value
 * once per run, the base currency and LCY code once), then `translate` answers synchronously, so
 * transferring values stays a pure function of the records (core/sync/fields.ts).
 */
export class LookupValues {
  private readonly resolvers = new Map<string, LookupResolver>();

  constructor(private readonly source: LookupSource | null) {}

  async prepare(
    fields: readonly FieldMapping[],
    records: { bc?: readonly Fields[]; dv?: readonly Fields[] },
  ): Promise<void> {
    for (const fm of fields) {
      if (!lookupOf(fm) || fm.status !== 'Enabled') continue;
      const constant = fm.constant === null ? null : text(parseConstant(fm.constant));
      const bc = [
        ...(records.bc ?? []).flatMap((r) => text(r[fm.bcField]) ?? []),
        ...(constant === null ? [] : [constant]),
      ];
      const dv = (records.dv ?? []).flatMap((r) => text(r[fm.dvField]) ?? []);
      await this.resolverFor(fm).prepare(fm, { bc, dv });
    }
  }

  /** The value for the target side of `pass`, an error, or "keep the target as it is" with a note. */
  translate(fm: FieldMapping, pass: Pass, value: FieldValue): Translated {
    if (!lookupOf(fm)) return { ok: true, value };
    if (value !== null && typeof value !== 'string') {
      const field = pass === 'ToIntegrationTable' ? fm.bcField : fm.dvField;
      return { ok: false, error: `${field} holds ${String(value)}, not a code.` };
    }
    return this.resolverFor(fm).translate(fm, pass, text(value));
  }

  private resolverFor(fm: FieldMapping): LookupResolver {
    const kind = lookupOf(fm) as LookupKind;
    let resolver = this.resolvers.get(fm.dvField);
    if (!resolver) {
      const source = this.requireSource();
      resolver =
        kind.kind === 'currency'
          ? new CurrencyLookup(source)
          : kind.kind === 'parent'
            ? new ParentLookup(source)
            : new CoupledLookup(source, kind);
      this.resolvers.set(fm.dvField, resolver);
    }
    return resolver;
  }

  private requireSource(): LookupSource {
    if (!this.source) throw new Error('Lookup values need couplings to be read; none were given.');
    return this.source;
  }
}

/** For callers that transfer no lookup values (tests, seeding): any lookup value met is a bug. */
export const NO_LOOKUPS = new LookupValues(null);
