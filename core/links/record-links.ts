import type { BcTable, DvTable } from '../model/tables.js';
import { BC_KEY_FIELDS } from '../model/tables.js';

/**
 * Where a record lives, as a link a card can open: Business Central's web client on the record's card
 * page, and Dataverse's main.aspx on the row's form. Built here and nowhere else; the composition root
 * gives the connection's tenant, environment, company and organisation. Over the sandbox there is
 * nowhere to open, so there are no links.
 */
export interface RecordLinks {
  /** The web client URL of the record's card page, or null when there is none to open. */
  businessCentral(table: BcTable, number: string): Promise<string | null>;
  /** The row's form in the Dataverse organisation, or null when there is none to open. */
  dataverse(table: DvTable, id: string): string | null;
}

export const NO_LINKS: RecordLinks = Object.freeze({
  businessCentral: () => Promise.resolve(null),
  dataverse: () => null,
});

/** Business Central's public web client (docs: "Web client URL"). */
export const BC_WEB_CLIENT = 'https://businesscentral.dynamics.com';

/** The card page of each table: Customer Card 21, Vendor Card 26, … (BC's page ids). */
export const BC_CARD_PAGES: Readonly<Record<BcTable, number>> = Object.freeze({
  Customer: 21,
  Vendor: 26,
  Contact: 5050,
  Item: 30,
  Resource: 76,
  'Salesperson/Purchaser': 5116,
  Currency: 495,
});

export interface BcLinkSettings {
  /** The Entra tenant (id or domain) and the environment name, as the API URL carries them. */
  tenantId: string;
  environment: string;
  /** The company's name (the web client selects companies by name, not id). */
  company: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Record numbers are Code[20]; anything longer is not one, and gets no link. */
const MAX_NUMBER = 20;

/**
 * `https://businesscentral.dynamics.com/<tenant>/<environment>/?company=<name>&page=21&filter='No.' IS '10000'`,
 * every part encoded; a quote inside the number is doubled, as BC's filter syntax escapes it.
 */
export function bcCardUrl(settings: BcLinkSettings, table: BcTable, number: string): string | null {
  if (number.length === 0 || number.length > MAX_NUMBER || /\p{Cc}/u.test(number)) return null;
  const field = BC_KEY_FIELDS[table].number;
  const filter = `'${field}' IS '${number.replace(/'/g, "''")}'`;
  const path = `${encodeURIComponent(settings.tenantId)}/${encodeURIComponent(settings.environment)}`;
  const query = [
    `company=${encodeURIComponent(settings.company)}`,
    `page=${BC_CARD_PAGES[table]}`,
    `filter=${encodeURIComponent(filter)}`,
  ].join('&');
  return `${BC_WEB_CLIENT}/${path}/?${query}`;
}

/**
 * `https://<org>/main.aspx?etn=account&pagetype=entityrecord&id=<guid>` (docs: "Open apps, forms,
 * views, dialogs, and reports with a URL"). No appid: Dataverse opens the row in the user's default
 * model-driven app. Ids that are not GUIDs get no link.
 */
export function dataverseRecordUrl(organisationUrl: string, table: DvTable, id: string): string | null {
  if (!GUID.test(id)) return null;
  const base = organisationUrl.replace(/\/+$/, '');
  return `${base}/main.aspx?etn=${encodeURIComponent(table)}&pagetype=entityrecord&id=${id.toLowerCase()}`;
}

export interface LinkSettings {
  businessCentral: Omit<BcLinkSettings, 'company'> & {
    /** Read once from the API (companies(<id>).name); null or a failure: no Business Central links. */
    companyName(): Promise<string | null>;
  };
  dataverse: { url: string };
}

/** Links for the HTTP connectors' systems. */
export function createRecordLinks(settings: LinkSettings): RecordLinks {
  const bc = settings.businessCentral;
  return {
    async businessCentral(table, number) {
      const company = await bc.companyName().catch(() => null);
      if (!company) return null;
      return bcCardUrl({ tenantId: bc.tenantId, environment: bc.environment, company }, table, number);
    },
    dataverse: (table, id) => dataverseRecordUrl(settings.dataverse.url, table, id),
  };
}
