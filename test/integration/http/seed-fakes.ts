import type { FakeBc } from '../../support/fake-bc-server.js';
import type { FakeDataverse } from '../../support/fake-dataverse-server.js';
import type { Row } from '../../connectors/http/support/fake-store.js';

/**
 * CRONUS-shaped data for the loopback BC and Dataverse, as API v2.0 and Web API v9.2 show it: the
 * situations the sandbox seeds (exact match, case difference, duplicate names, another company's row,
 * a vendor account) so that every command meets them over HTTP too.
 */
export const OTHER_COMPANY = '5c0a7e11-0000-4000-8000-00000000c0de';

const customer = (number: string, displayName: string, extra: Row): Row => ({
  number,
  displayName,
  type: 'Company',
  addressLine2: '',
  state: '',
  country: 'US',
  website: '',
  salespersonCode: 'PS',
  creditLimit: 0,
  taxLiable: true,
  currencyCode: '',
  blocked: ' ',
  ...extra,
});

export const BC_CUSTOMERS: Row[] = [
  customer('10000', 'Adatum Corporation', {
    addressLine1: '192 Market Square',
    city: 'Atlanta',
    postalCode: '31772',
    phoneNumber: '(425) 555-0100',
    email: 'robert.townes@adatum.com',
  }),
  customer('20000', 'Trey Research', {
    addressLine1: '153 Thomas Drive',
    city: 'Chicago',
    postalCode: '61236',
    phoneNumber: '+1 312 555 0142',
    email: 'helen.ray@treyresearch.net',
  }),
  customer('30000', 'School of Fine Art', {
    addressLine1: '10 Deerfield Road',
    city: 'Miami',
    postalCode: '37125',
    phoneNumber: '+1 305 555 0131',
    email: 'meagan.bond@fineart.edu',
  }),
  customer('40000', 'Alpine Ski House', {
    addressLine1: '10 High Tower Green',
    city: 'Atlanta',
    postalCode: '31772',
    phoneNumber: '+1 404 555 0115',
    email: 'ian.deberry@alpineskihouse.com',
  }),
  customer('50000', 'Relecloud', {
    addressLine1: '25 Water Way',
    city: 'Redmond',
    postalCode: '98052',
    phoneNumber: '+1 425 555 0175',
    email: 'jesse.homer@relecloud.com',
  }),
];

const account = (name: string, type: 3 | 11, company: string | null, extra: Row = {}): Row => ({
  name,
  accountnumber: null,
  customertypecode: type,
  statecode: 0,
  address1_country: 'US',
  address1_primarycontactname: null,
  telephone1: null,
  emailaddress1: null,
  _bcbi_companyid_value: company,
  _transactioncurrencyid_value: null,
  ...extra,
});

export function dvAccounts(companyId: string): Row[] {
  return [
    account('Adatum Corporation', 3, companyId, {
      address1_city: 'Atlanta',
      address1_line1: '192 Market Square',
      telephone1: '(425) 555-0100',
      emailaddress1: 'robert.townes@adatum.com',
      // Customer "Contact" has no API v2.0 property: this column must survive BC → Dataverse runs.
      address1_primarycontactname: 'Robert Townes',
    }),
    account('Adatum Corporation', 3, OTHER_COMPANY, { address1_city: 'London', address1_country: 'GB' }),
    account('trey research', 3, null, { address1_city: 'Chicago' }),
    account('School of Fine Art', 3, companyId, { address1_city: 'Miami' }),
    account('Alpine Ski House', 3, companyId, { address1_city: 'Atlanta' }),
    account('Alpine Ski House', 3, companyId, { address1_city: 'Denver' }),
    account('Relecloud', 3, OTHER_COMPANY, { address1_city: 'Redmond' }),
    account('Fabrikam, Inc.', 11, companyId, { address1_city: 'Atlanta' }),
  ];
}

/** Empties both fakes and seeds them again: every scenario starts from the same two systems. */
export function seedFakes(bc: FakeBc, dv: FakeDataverse): void {
  for (const set of ['customers', 'vendors', 'contacts', 'items', 'currencies']) {
    const table = bc.table(set);
    table.all().forEach((row) => table.delete(String(row.id)));
  }
  for (const set of ['accounts', 'contacts', 'products', 'cdm_companies', 'transactioncurrencies']) {
    const table = dv.table(set);
    table.all().forEach((row) => table.delete(String(row[table.idField])));
  }
  bc.seed('customers', BC_CUSTOMERS);
  bc.seed('currencies', [
    { code: 'EUR', displayName: 'Euro', symbol: '€' },
    { code: 'GBP', displayName: 'British Pound', symbol: '£' },
  ]);
  // The company rows bcbi_companyid points at; ours carries BC_COMPANY_ID as its id (bot/composition/connectors.ts).
  dv.seed('cdm_companies', [
    { cdm_companyid: bc.companyId, cdm_name: 'CRONUS USA, Inc.', cdm_companycode: 'CRONUS' },
    { cdm_companyid: OTHER_COMPANY, cdm_name: 'CRONUS UK Ltd.', cdm_companycode: 'CRONUS-UK' },
  ]);
  // The organisation's currencies; none is coupled at start (a Currency Code needs its coupling first).
  dv.seed('transactioncurrencies', [
    { isocurrencycode: 'USD', currencyname: 'US Dollar', currencysymbol: '$', exchangerate: 1, statecode: 0 },
    { isocurrencycode: 'EUR', currencyname: 'Euro', currencysymbol: '€', exchangerate: 0.92, statecode: 0 },
    {
      isocurrencycode: 'GBP',
      currencyname: 'British Pound',
      currencysymbol: '£',
      exchangerate: 0.79,
      statecode: 0,
    },
  ]);
  dv.seed('accounts', dvAccounts(bc.companyId));
}
