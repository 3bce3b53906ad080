import type { Fields } from '../../core/model/record.js';
import type { DvTable } from '../../core/model/tables.js';
import { OTHER_COMPANY_ID, SANDBOX_COMPANY_ID, seedId } from './seed-ids.js';

/**
 * Dataverse side of the sandbox: exact matches, near matches (case, spacing, punctuation), duplicate
 * names, rows of another company and rows no company claimed, vendor and inactive accounts — every
 * situation Set Up Coupling and Match-Based Coupling must handle. Rows are [seed key, fields]; the id
 * of a row is seedId(`dv:<table>:<key>`).
 */
export type SeedRow = readonly [key: string, fields: Fields];

const ME = SANDBOX_COMPANY_ID;
const OTHER = OTHER_COMPANY_ID;

const account = (name: string, type: 3 | 11, company: string | null, extra: Fields = {}): Fields => ({
  name,
  accountnumber: null,
  customertypecode: type,
  statecode: 0,
  bcbi_companyid: company,
  address1_country: 'US',
  ...extra,
});

export const accountId = (key: string): string => seedId(`dv:account:${key}`);

const accounts: SeedRow[] = [
  [
    'adatum',
    account('Adatum Corporation', 3, ME, {
      emailaddress1: 'robert.townes@adatum.com',
      telephone1: '(425) 555-0100',
      address1_city: 'Atlanta',
      address1_line1: '192 Market Square',
    }),
  ],
  [
    'adatum-other-company',
    account('Adatum Corporation', 3, OTHER, {
      telephone1: '+44 20 7946 0100',
      address1_city: 'London',
      address1_country: 'GB',
    }),
  ],
  [
    'trey-lowercase',
    account('trey research', 3, null, { address1_city: 'Chicago', telephone1: '+1 312 555 0142' }),
  ],
  ['fine-art-spacing', account('School  of Fine Art', 3, ME, { address1_city: 'Miami' })],
  [
    'alpine-1',
    account('Alpine Ski House', 3, ME, { address1_city: 'Atlanta', telephone1: '+1 404 555 0115' }),
  ],
  [
    'alpine-2',
    account('Alpine Ski House', 3, ME, { address1_city: 'Denver', telephone1: '+1 720 555 0160' }),
  ],
  ['relecloud-other-company', account('Relecloud', 3, OTHER, { address1_city: 'Redmond' })],
  ['coho-inactive', account('Coho Winery', 3, ME, { statecode: 1, address1_city: 'Napa' })],
  [
    'contoso',
    account('Contoso Pharmaceuticals', 3, ME, { address1_city: 'Boston', emailaddress1: 'info@contoso.com' }),
  ],
  ['litware', account('Litware, Inc.', 3, null, { address1_city: 'Dallas' })],
  [
    'fabrikam-punct',
    account('Fabrikam Inc', 11, ME, {
      address1_city: 'Atlanta',
      emailaddress1: 'evan.mcintosh@fabrikam.com',
    }),
  ],
  ['first-up', account('First Up Consultants', 11, ME, { address1_city: 'Chicago' })],
  [
    'graphic-design-inactive',
    account('Graphic Design Institute', 11, ME, { statecode: 1, address1_city: 'Miami' }),
  ],
  ['wide-world', account('Wide World Importers', 11, null, { address1_city: 'Seattle' })],
];

const contact = (
  first: string,
  last: string,
  parentKey: string | null,
  email: string,
  company: string | null = ME,
): Fields => ({
  firstname: first,
  lastname: last,
  emailaddress1: email,
  telephone1: null,
  parentcustomerid: parentKey === null ? null : accountId(parentKey),
  statecode: 0,
  bcbi_companyid: company,
});

const contacts: SeedRow[] = [
  ['robert-townes', contact('Robert', 'Townes', 'adatum', 'robert.townes@adatum.com')],
  ['helen-ray', contact('Helen', 'Ray', 'trey-lowercase', 'helen.ray@treyresearch.net')],
  ['ian-deberry', contact('Ian', 'Deberry', 'alpine-1', 'ian.deberry@alpineskihouse.com')],
  ['nina-no-parent', contact('Nina', 'Parker', null, 'nina.parker@example.com')],
];

const product = (
  number: string,
  name: string,
  type: 1 | 3,
  price: number,
  company: string | null = ME,
): Fields => ({
  productnumber: number,
  name,
  producttypecode: type,
  price,
  standardcost: null,
  statecode: 0,
  bcbi_companyid: company,
});

const products: SeedRow[] = [
  ['athens-desk', product('1896-S', 'ATHENS Desk', 1, 1000.8)],
  ['paris-chair', product('1900-S', 'Paris Guest Chair, Black', 1, 192.8)],
  ['london-chair-other', product('1908-S', 'LONDON Swivel Chair, blue', 1, 180, OTHER)],
  ['linda', product('LINDA', 'Linda Martin', 3, 100)],
  ['consulting', product('CONSULT', 'Consulting hour', 3, 120, null)],
];

const user = (
  first: string,
  last: string,
  email: string,
  flags: Partial<Record<'isdisabled' | 'islicensed' | 'isintegrationuser', boolean>> = {},
): Fields => ({
  firstname: first,
  lastname: last,
  internalemailaddress: email,
  mobilephone: null,
  isdisabled: false,
  islicensed: true,
  isintegrationuser: false,
  ...flags,
});

const systemusers: SeedRow[] = [
  ['jim-olive', user('Jim', 'Olive', 'jim.olive@cronus.com')],
  ['otis-falls', user('Otis', 'Falls', 'otis.falls@cronus.com')],
  ['annie-jones', user('Annie', 'Jones', 'annie.jones@cronus.com')],
  [
    'integration-user',
    user('Business Central', 'Integration', 'bcintegration@cronus.com', { isintegrationuser: true }),
  ],
  ['disabled-user', user('Former', 'Employee', 'former@cronus.com', { isdisabled: true })],
];

const currency = (code: string, name: string, symbol: string, rate: number): Fields => ({
  isocurrencycode: code,
  currencyname: name,
  currencysymbol: symbol,
  exchangerate: rate,
  statecode: 0,
});

const transactioncurrencies: SeedRow[] = [
  ['usd', currency('USD', 'US Dollar', '$', 1)],
  ['eur', currency('EUR', 'Euro', '€', 0.92)],
  ['gbp', currency('GBP', 'Pound Sterling', '£', 0.79)],
];

export const DV_SEED: Record<DvTable, SeedRow[]> = {
  account: accounts,
  contact: contacts,
  product: products,
  systemuser: systemusers,
  transactioncurrency: transactioncurrencies,
};
