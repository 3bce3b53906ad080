import { z } from 'zod';
import type { BusinessRelation } from '../../core/ports/business-central.js';
import { ConnectorError } from '../../core/ports/errors.js';
import type { HttpClient } from './http-client.js';
import { checkBody, failure, readJson } from './odata.js';
import { readAll } from './paging.js';

const SYSTEM = 'Business Central';
/** A contact has a handful of business relations; this bounds a server that pages without end. */
const MAX_PAGES = 100;

/** companyInformation: one row; its currencyCode is the local currency (LCY). */
const CompanyInformation = z.object({
  value: z.array(z.looseObject({ currencyCode: z.string().nullable().optional() })),
});

/** companies(<id>): `name` is the company's key, the one the web client selects companies by. */
const Company = z.looseObject({ name: z.string().min(1).max(200) });

/** contactsInformation rows (API v2.0): a contact's business relations, or a customer's/vendor's contacts. */
const ContactsInformation = z.object({
  '@odata.nextLink': z.string().optional(),
  value: z.array(
    z.looseObject({
      contactId: z.string(),
      contactNumber: z.string(),
      contactType: z.string().optional(),
      relatedId: z.string().optional(),
      relatedType: z.string().optional(),
    }),
  ),
});

/**
 * The reference reads of Business Central API v2.0 that look-ups need (domain.md §7): the local
 * currency and contact business relations. `companyUrl` is …/api/v2.0/companies(<id>).
 */
export class BcRelations {
  constructor(
    private readonly http: HttpClient,
    private readonly companyUrl: string,
  ) {}

  async localCurrencyCode(): Promise<string> {
    const what = 'the company information (its local currency)';
    const url = `${this.companyUrl}/companyInformation`;
    const items = await readAll({ http: this.http, url, what, top: 1 });
    const [info] = checkBody(SYSTEM, { value: items }, CompanyInformation, what).value;
    return info?.currencyCode ?? '';
  }

  /** The company's name, for links to the web client (which selects companies by name). */
  async companyName(): Promise<string> {
    const what = 'the company (its name)';
    const response = await this.http.send({ method: 'GET', url: this.companyUrl });
    if (response.status !== 200) throw failure(SYSTEM, response, what);
    return readJson(SYSTEM, response, Company, what).name;
  }

  /** contacts(<company contact>)/contactsInformation → the customer or vendor it stands for. */
  async businessRelationOf(contactSegment: string): Promise<BusinessRelation | null> {
    const rows = await this.read(
      `contacts${contactSegment}/contactsInformation`,
      'the contact business relations',
    );
    for (const row of rows) {
      const type = row.relatedType;
      if ((type === 'Customer' || type === 'Vendor') && row.relatedId) {
        return { relatedType: type, relatedId: row.relatedId };
      }
    }
    return null;
  }

  /** customers|vendors(<id>)/contactsInformation → its company contact. */
  async companyContactOf(
    entitySet: 'customers' | 'vendors',
    segment: string,
  ): Promise<{ id: string; number: string } | null> {
    const rows = await this.read(
      `${entitySet}${segment}/contactsInformation`,
      `the contacts of ${entitySet}`,
    );
    const company = rows.find((r) => r.contactType === 'Company') ?? rows[0];
    return company ? { id: company.contactId, number: company.contactNumber } : null;
  }

  /** Every page of a contactsInformation answer; a record that does not exist has none. */
  private async read(path: string, what: string) {
    let items: unknown[];
    try {
      items = await readAll({
        http: this.http,
        url: `${this.companyUrl}/${path}`,
        what,
        maxPages: MAX_PAGES,
      });
    } catch (error) {
      if (error instanceof ConnectorError && error.status === 404) return [];
      throw error;
    }
    return checkBody(SYSTEM, { value: items }, ContactsInformation, what).value;
  }
}
