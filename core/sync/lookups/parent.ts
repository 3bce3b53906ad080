import { dvColumnCaption } from '../../model/captions.js';
import type { FieldMapping } from '../../model/mapping.js';
import type { Pass } from '../pass.js';
import type { Translated } from '../values.js';
import { notPrepared, type LookupResolver, type LookupSource } from './source.js';

type Answer = Exclude<Translated, { ok: 'keep' }>;
const RELATED_MAPPING = { Customer: 'CUSTOMER', Vendor: 'VENDOR' } as const;

/**
 * A contact's company ↔ parentcustomerid, as Business Central links them (domain.md §1): the contact's
 * Company No. is a company contact, whose business relation (API v2.0 contactsInformation) is a customer
 * or vendor, whose coupled account is the parent. Back from Dataverse: the parent account's coupling →
 * its customer or vendor → that record's company contact. A parent that is not coupled fails the contact
 * with the fix named, marked as waiting for that coupling; nothing is written for it.
 */
export class ParentLookup implements LookupResolver {
  /** Company No. → answer toward Dataverse. */
  private readonly toDv = new Map<string, Answer>();
  /** Account id (lower case) → answer toward Business Central. */
  private readonly toBc = new Map<string, Answer>();

  constructor(private readonly source: LookupSource) {}

  async prepare(fm: FieldMapping, values: { bc: readonly string[]; dv: readonly string[] }): Promise<void> {
    for (const companyNo of new Set(values.bc)) {
      if (!this.toDv.has(companyNo)) this.toDv.set(companyNo, await this.accountOf(fm, companyNo));
    }
    for (const id of new Set(values.dv.map((v) => v.toLowerCase()))) {
      if (!this.toBc.has(id)) this.toBc.set(id, await this.companyOf(fm, id));
    }
  }

  translate(fm: FieldMapping, pass: Pass, value: string | null): Translated {
    if (value === null) return { ok: true, value: pass === 'ToIntegrationTable' ? null : '' };
    const known = pass === 'ToIntegrationTable' ? this.toDv.get(value) : this.toBc.get(value.toLowerCase());
    return known ?? notPrepared(fm, value);
  }

  /** Company No. → its customer's or vendor's coupled account. */
  private async accountOf(fm: FieldMapping, companyNo: string): Promise<Answer> {
    const { bc, couplings } = this.source;
    const company = await bc.getByNumber('Contact', companyNo);
    if (!company) {
      return { ok: false, error: `The contact's company ${companyNo} does not exist in Business Central.` };
    }
    const name = typeof company.fields.Name === 'string' ? ` ${company.fields.Name}` : '';
    const relation = await bc.businessRelationOf(company.id);
    if (!relation) {
      return {
        ok: false,
        error:
          `The contact's company ${companyNo}${name} is no customer or vendor in Business Central, so the ` +
          `contact has no parent account for ${dvColumnCaption(fm.dvField)}: give the company a customer or vendor first.`,
      };
    }
    const mapping = RELATED_MAPPING[relation.relatedType];
    const [coupling] = await couplings.getManyByBcIds(mapping, [relation.relatedId]);
    if (coupling) return { ok: true, value: coupling.dvId };
    const related = await bc.getById(relation.relatedType, relation.relatedId);
    const word = relation.relatedType.toLowerCase();
    const who = related
      ? `${word} ${related.number}${typeof related.fields.Name === 'string' ? ` ${related.fields.Name}` : ''}`
      : `${word} ${relation.relatedId}`;
    return {
      ok: false,
      waitingFor: mapping,
      error:
        `The contact's company is ${who}, which is not coupled to a Dataverse account yet, so the contact ` +
        `has no parent account: couple ${who} first${related ? ` (couple ${word} ${related.number})` : ''}.`,
    };
  }

  /** Parent account id → the company contact of its coupled customer or vendor. */
  private async companyOf(fm: FieldMapping, accountId: string): Promise<Answer> {
    const { bc, couplings } = this.source;
    for (const table of ['Customer', 'Vendor'] as const) {
      const [coupling] = await couplings.getManyByDvIds(RELATED_MAPPING[table], [accountId]);
      if (!coupling) continue;
      const contact = await bc.companyContactOf(table, coupling.bcId);
      if (contact) return { ok: true, value: contact.number };
      return {
        ok: false,
        error:
          `${table} ${coupling.bcNumber}, coupled to the parent account, has no company contact in Business ` +
          `Central, so ${fm.bcField} cannot be set: create its contact (Create Contact on the ${table.toLowerCase()}) first.`,
      };
    }
    return {
      ok: false,
      waitingFor: 'CUSTOMER',
      error:
        `The parent account ${accountId} is not coupled to a Business Central customer or vendor yet, so ` +
        `${fm.bcField} cannot be set: couple it first (couple account ${accountId}).`,
    };
  }
}
