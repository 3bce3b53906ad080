import type { FakeBc } from '../../kit/loopback/fake-bc-server.js';
import type { FakeDataverse } from '../../kit/loopback/fake-dataverse-server.js';
import type { Row } from '../../kit/loopback/fake-store.js';

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
  // Every Dataverse row has an owner; here the one who imported them.
  _ownerid_value: IDS.annieJones,
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

/** Ids every scenario can name: the fakes keep them across resets. */
export const IDS = {
  usd: '0c0a7e11-0000-4000-8000-0000000000d1',
  eur: '0c0a7e11-0000-4000-8000-0000000000e1',
  gbp: '0c0a7e11-0000-4000-8000-0000000000f1',
  jimOlive: '0c0a7e11-0000-4000-8000-00000000a001',
  annieJones: '0c0a7e11-0000-4000-8000-00000000a002',
  integrationUser: '0c0a7e11-0000-4000-8000-00000000a003',
  applicationUser: '0c0a7e11-0000-4000-8000-00000000a004',
};

const user = (id: string, fullname: string, email: string, extra: Row = {}): Row => ({
  systemuserid: id,
  fullname,
  firstname: fullname.split(' ')[0],
  lastname: fullname.split(' ')[1],
  internalemailaddress: email,
  isdisabled: false,
  islicensed: true,
  isintegrationuser: false,
  accessmode: 0,
  ...extra,
});

const contact = (number: string, displayName: string, type: 'Company' | 'Person', company: string): Row => ({
  number,
  displayName,
  type,
  companyNumber: company,
  companyName: company === 'CT100' ? 'Adatum Corporation' : 'Trey Research',
  email: type === 'Person' ? `${displayName.split(' ')[0]?.toLowerCase()}@example.com` : '',
  phoneNumber: '',
  country: 'US',
});

/** Empties both fakes and seeds them again: every scenario starts from the same two systems. */
export function seedFakes(bc: FakeBc, dv: FakeDataverse): void {
  for (const set of ['customers', 'vendors', 'contacts', 'items', 'currencies', 'salespeoplePurchasers']) {
    const table = bc.table(set);
    table.all().forEach((row) => table.delete(String(row.id)));
  }
  bc.clearRelations();
  for (const set of [
    'accounts',
    'contacts',
    'products',
    'bcbi_companies',
    'cdm_companies',
    'transactioncurrencies',
    'organizations',
    'systemusers',
  ]) {
    const table = dv.table(set);
    table.all().forEach((row) => table.delete(String(row[table.idField])));
  }
  bc.seed('customers', BC_CUSTOMERS);
  bc.seed('currencies', [
    { code: 'EUR', displayName: 'Euro', symbol: '€' },
    { code: 'GBP', displayName: 'British Pound', symbol: '£' },
  ]);
  bc.seed('salespeoplePurchasers', [
    { code: 'JO', displayName: 'Jim Olive', email: 'jim.olive@cronus.com' },
    { code: 'PS', displayName: 'Peter Saddow', email: 'peter.saddow@cronus.com' },
  ]);
  // Company contacts and their people; each company contact is its customer's business relation.
  const [adatum, trey] = bc.seed('contacts', [
    contact('CT100', 'Adatum Corporation', 'Company', 'CT100'),
    contact('CT200', 'Trey Research', 'Company', 'CT200'),
    contact('CT101', 'Robert Townes', 'Person', 'CT100'),
    contact('CT201', 'Helen Ray', 'Person', 'CT200'),
  ]);
  const customerId = (number: string) =>
    String(
      bc
        .table('customers')
        .all()
        .find((r) => r.number === number)?.id,
    );
  bc.relate(String(adatum?.id), 'Customer', customerId('10000'));
  bc.relate(String(trey?.id), 'Customer', customerId('20000'));
  // The company rows bcbi_companyid points at (BC's bcbi_company table); ours carries BC_COMPANY_ID as its
  // id (bot/composition/connectors.ts).
  dv.seed('bcbi_companies', [
    { bcbi_companyid: bc.companyId, bcbi_name: 'CRONUS USA, Inc.', bcbi_companycode: 'CRONUS' },
    { bcbi_companyid: OTHER_COMPANY, bcbi_name: 'CRONUS UK Ltd.', bcbi_companycode: 'CRONUS-UK' },
  ]);
  // The Common Data Model's company table exists as well; no look-up of ours points into it.
  dv.seed('cdm_companies', [{ cdm_companyid: bc.companyId, cdm_name: 'CRONUS USA, Inc.' }]);
  // The organisation's currencies; USD is its base currency. No currency needs a coupling.
  dv.seed('transactioncurrencies', [
    {
      transactioncurrencyid: IDS.usd,
      isocurrencycode: 'USD',
      currencyname: 'US Dollar',
      currencysymbol: '$',
      exchangerate: 1,
      statecode: 0,
    },
    {
      transactioncurrencyid: IDS.eur,
      isocurrencycode: 'EUR',
      currencyname: 'Euro',
      currencysymbol: '€',
      exchangerate: 0.92,
      statecode: 0,
    },
    {
      transactioncurrencyid: IDS.gbp,
      isocurrencycode: 'GBP',
      currencyname: 'British Pound',
      currencysymbol: '£',
      exchangerate: 0.79,
      statecode: 0,
    },
  ]);
  dv.seed('organizations', [{ name: 'CRONUS', _basecurrencyid_value: IDS.usd }]);
  dv.seed('systemusers', [
    user(IDS.jimOlive, 'Jim Olive', 'jim.olive@cronus.com'),
    user(IDS.annieJones, 'Annie Jones', 'annie.jones@cronus.com'),
    user(IDS.integrationUser, 'Business Central Integration', 'bcintegration@cronus.com', {
      isintegrationuser: true,
    }),
    user(IDS.applicationUser, 'Coupling Assistant', 'app@cronus.com', { accessmode: 4, islicensed: false }),
  ]);
  dv.seed('accounts', dvAccounts(bc.companyId));
}
