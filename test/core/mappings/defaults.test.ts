import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING_NAMES, defaultMapping, defaultMappings } from '../../../core/mappings/defaults.js';
import { valuesImpliedByFilter } from '../../../core/mappings/filter-defaults.js';
import { validateCriteria } from '../../../core/match/criteria.js';
import { passesFilter } from '../../../core/model/filter.js';
import { IntegrationTableMapping } from '../../../core/model/mapping.js';

const COMPANY = '0f8a3c1e-5b7d-4e2a-9c6f-1d2e3f4a5b6c';
const OTHER_COMPANY = 'aaaaaaaa-0000-4000-8000-000000000000';

const mapping = (name: string) => {
  const m = defaultMapping(COMPANY, name);
  if (!m) throw new Error(`no default ${name}`);
  return m;
};
const fieldRows = (name: string) => mapping(name).fields.map((f) => [f.bcField, f.dvField, f.direction]);

describe('default integration table mappings', () => {
  it('are the seven of domain.md §1, in BC’s order, each valid against the mapping schema', () => {
    const all = defaultMappings(COMPANY);
    expect(all.map((m) => m.name)).toEqual([...DEFAULT_MAPPING_NAMES]);
    for (const m of all) expect(IntegrationTableMapping.parse(m)).toEqual(m);
  });

  it.each([
    ['CUSTOMER', 'Customer', 'account', 'Bidirectional'],
    ['VENDOR', 'Vendor', 'account', 'Bidirectional'],
    ['CONTACT', 'Contact', 'contact', 'Bidirectional'],
    ['ITEM-PRODUCT', 'Item', 'product', 'ToIntegrationTable'],
    ['RESOURCE-PRODUCT', 'Resource', 'product', 'ToIntegrationTable'],
    ['SALESPEOPLE', 'Salesperson/Purchaser', 'systemuser', 'FromIntegrationTable'],
    ['CURRENCY', 'Currency', 'transactioncurrency', 'ToIntegrationTable'],
  ])('%s couples %s with %s, %s, syncing only coupled records', (name, bcTable, dvTable, direction) => {
    const m = mapping(name);
    expect([m.bcTable, m.dvTable, m.direction, m.syncOnlyCoupled]).toEqual([
      bcTable,
      dvTable,
      direction,
      true,
    ]);
    expect([m.updateConflictResolution, m.deletionConflictResolution, m.createNewIfNoMatch]).toEqual([
      'None',
      'None',
      false,
    ]);
  });

  it('CUSTOMER has exactly the field mappings domain.md lists', () => {
    expect(fieldRows('CUSTOMER')).toEqual([
      ['Name', 'name', 'Bidirectional'],
      ['Contact', 'address1_primarycontactname', 'Bidirectional'],
      ['Address', 'address1_line1', 'Bidirectional'],
      ['Address 2', 'address1_line2', 'Bidirectional'],
      ['Post Code', 'address1_postalcode', 'Bidirectional'],
      ['City', 'address1_city', 'Bidirectional'],
      ['Country/Region Code', 'address1_country', 'Bidirectional'],
      ['County', 'address1_stateorprovince', 'Bidirectional'],
      ['E-Mail', 'emailaddress1', 'Bidirectional'],
      ['Home Page', 'websiteurl', 'Bidirectional'],
      ['Phone No.', 'telephone1', 'Bidirectional'],
      ['Currency Code', 'transactioncurrencyid', 'ToIntegrationTable'],
      ['Primary Contact No.', 'primarycontactid', 'Bidirectional'],
      ['Salesperson Code', 'ownerid', 'ToIntegrationTable'],
      ['Credit Limit (LCY)', 'creditlimit', 'ToIntegrationTable'],
      ['No.', 'accountnumber', 'ToIntegrationTable'],
    ]);
  });

  it('ITEM-PRODUCT sends number and prices, and keeps Description ↔ name bidirectional', () => {
    expect(fieldRows('ITEM-PRODUCT')).toEqual([
      ['No.', 'productnumber', 'ToIntegrationTable'],
      ['Description', 'name', 'Bidirectional'],
      ['Unit Price', 'price', 'ToIntegrationTable'],
      ['Unit Cost', 'standardcost', 'ToIntegrationTable'],
    ]);
  });

  it('SALESPEOPLE only reads from Dataverse, and CURRENCY only writes to it', () => {
    expect(fieldRows('SALESPEOPLE')).toEqual([
      ['Name', 'fullname', 'FromIntegrationTable'],
      ['E-Mail', 'internalemailaddress', 'FromIntegrationTable'],
      ['Phone No.', 'mobilephone', 'FromIntegrationTable'],
    ]);
    expect(mapping('CURRENCY').fields.every((f) => f.direction === 'ToIntegrationTable')).toBe(true);
    expect(mapping('CURRENCY').fields.map((f) => f.dvField)).toEqual(
      expect.arrayContaining(['isocurrencycode', 'currencyname', 'exchangerate']),
    );
  });

  it('CONTACT maps names, e-mail and phones, never the computed fullname, and depends on accounts', () => {
    const m = mapping('CONTACT');
    expect(fieldRows('CONTACT')).toEqual(
      expect.arrayContaining([
        ['First Name', 'firstname', 'Bidirectional'],
        ['Surname', 'lastname', 'Bidirectional'],
        ['E-Mail', 'emailaddress1', 'Bidirectional'],
        ['Phone No.', 'telephone1', 'Bidirectional'],
        ['Mobile Phone No.', 'mobilephone', 'Bidirectional'],
        ['Job Title', 'jobtitle', 'Bidirectional'],
      ]),
    );
    expect(m.fields.map((f) => f.dvField)).not.toContain('fullname');
    expect(m.dependsOn).toEqual(['CUSTOMER', 'VENDOR']);
  });

  it.each([
    ['CUSTOMER', 'accountnumber', 20],
    ['CUSTOMER', 'name', 160],
    ['CUSTOMER', 'telephone1', 50],
    ['CUSTOMER', 'emailaddress1', 100],
    ['CUSTOMER', 'address1_postalcode', 20],
    ['VENDOR', 'accountnumber', 20],
    ['ITEM-PRODUCT', 'productnumber', 100],
    ['CURRENCY', 'isocurrencycode', 5],
    ['CUSTOMER', 'creditlimit', null],
  ])('%s.%s accepts at most %s characters', (name, dvField, maxLength) => {
    expect(mapping(name).fields.find((f) => f.dvField === dvField)?.maxLength).toBe(maxLength);
  });

  it('names each BC field once per mapping, so match criteria can address fields by name', () => {
    for (const m of defaultMappings(COMPANY)) {
      const names = m.fields.map((f) => f.bcField.toLowerCase());
      expect(new Set(names).size, m.name).toBe(names.length);
    }
  });

  it('match on Name (priority 0) for CUSTOMER and VENDOR, and every default has valid match criteria', () => {
    for (const name of ['CUSTOMER', 'VENDOR']) {
      const matchOn = mapping(name).fields.filter((f) => f.useForMatch);
      expect(matchOn.map((f) => [f.bcField, f.matchPriority])).toContainEqual(['Name', 0]);
    }
    for (const m of defaultMappings(COMPANY)) expect(() => validateCriteria(m, {}), m.name).not.toThrow();
  });

  it('returns fresh objects, so a caller editing one cannot change the defaults', () => {
    const first = defaultMappings(COMPANY);
    first[0]!.fields[0]!.bcField = 'changed';
    expect(defaultMappings(COMPANY)[0]!.fields[0]!.bcField).toBe('Name');
  });
});

describe('default filters', () => {
  const account = (fields: Record<string, string | number | null>) => ({
    statecode: 0,
    customertypecode: 3,
    bcbi_companyid: COMPANY,
    ...fields,
  });

  it.each([
    ['an active customer account of this company', 'CUSTOMER', account({}), true],
    ['an account no company claimed yet', 'CUSTOMER', account({ bcbi_companyid: null }), true],
    ['an account with an empty company id', 'CUSTOMER', account({ bcbi_companyid: '' }), true],
    ['an account of another company', 'CUSTOMER', account({ bcbi_companyid: OTHER_COMPANY }), false],
    ['an inactive account', 'CUSTOMER', account({ statecode: 1 }), false],
    ['a vendor account', 'CUSTOMER', account({ customertypecode: 11 }), false],
    ['a vendor account', 'VENDOR', account({ customertypecode: 11 }), true],
    ['a sales inventory product', 'ITEM-PRODUCT', { producttypecode: 1, bcbi_companyid: COMPANY }, true],
    ['a services product', 'ITEM-PRODUCT', { producttypecode: 3, bcbi_companyid: COMPANY }, false],
    ['a services product', 'RESOURCE-PRODUCT', { producttypecode: 3, bcbi_companyid: null }, true],
    [
      'a licensed user',
      'SALESPEOPLE',
      { isdisabled: false, islicensed: true, isintegrationuser: false },
      true,
    ],
    [
      'a disabled user',
      'SALESPEOPLE',
      { isdisabled: true, islicensed: true, isintegrationuser: false },
      false,
    ],
    [
      'an integration user',
      'SALESPEOPLE',
      { isdisabled: false, islicensed: true, isintegrationuser: true },
      false,
    ],
    ['a contact with a parent account', 'CONTACT', { statecode: 0, parentcustomerid: 'acc-1' }, true],
    ['a contact without a parent account', 'CONTACT', { statecode: 0, parentcustomerid: null }, false],
  ])('the Integration Table Filter admits %s to %s: %s', (_what, name, row, expected) => {
    expect(passesFilter(row, mapping(name).integrationTableFilter)).toBe(expected);
  });

  it.each([
    ['an unblocked customer', 'CUSTOMER', { Blocked: '' }, true],
    ['a customer blocked for all', 'CUSTOMER', { Blocked: 'All' }, false],
    ['an unblocked item', 'ITEM-PRODUCT', { Blocked: false }, true],
    ['a blocked item', 'ITEM-PRODUCT', { Blocked: true }, false],
    ['a person with a company', 'CONTACT', { Type: 'Person', 'Company No.': 'CT000001' }, true],
    ['a person without a company', 'CONTACT', { Type: 'Person', 'Company No.': '' }, false],
    ['a company contact', 'CONTACT', { Type: 'Company', 'Company No.': 'CT000001' }, false],
  ])('the Table Filter admits %s to %s: %s', (_what, name, record, expected) => {
    expect(passesFilter(record, mapping(name).tableFilter)).toBe(expected);
  });

  it('gives new rows the values that put them inside the filter (type code, company id)', () => {
    expect(valuesImpliedByFilter(mapping('CUSTOMER').integrationTableFilter)).toEqual({
      statecode: 0,
      customertypecode: 3,
      bcbi_companyid: COMPANY,
    });
    expect(valuesImpliedByFilter(mapping('RESOURCE-PRODUCT').integrationTableFilter)).toEqual({
      producttypecode: 3,
      bcbi_companyid: COMPANY,
    });
    for (const m of defaultMappings(COMPANY)) {
      const plain = m.integrationTableFilter.filter((c) => !c.not);
      expect(passesFilter(valuesImpliedByFilter(plain), plain), m.name).toBe(true);
    }
  });
});
