/** The slice of the Dataverse schema the fake Web API knows: columns, lookups (navigation → column, target). */
export interface FakeDvSet {
  idColumn: string;
  columns: string[];
  lookups: Record<string, { column: string; target: string }>;
}

const ADDRESS = [
  'address1_line1',
  'address1_line2',
  'address1_city',
  'address1_postalcode',
  'address1_country',
  'address1_stateorprovince',
];
const currency = {
  transactioncurrencyid: { column: 'transactioncurrencyid', target: 'transactioncurrencies' },
};
const company = { bcbi_companyid: { column: 'bcbi_companyid', target: 'bcbi_companies' } };
const owner = { ownerid: { column: 'ownerid', target: 'systemusers' } };

export const FAKE_DV_SETS: Record<string, FakeDvSet> = {
  accounts: {
    idColumn: 'accountid',
    columns: [
      'name',
      'accountnumber',
      'emailaddress1',
      'telephone1',
      'websiteurl',
      ...ADDRESS,
      'address1_primarycontactname',
      'creditlimit',
      'statecode',
      'customertypecode',
      'description',
    ],
    lookups: {
      ...currency,
      ...company,
      ...owner,
      parentaccountid: { column: 'parentaccountid', target: 'accounts' },
      primarycontactid: { column: 'primarycontactid', target: 'contacts' },
    },
  },
  contacts: {
    idColumn: 'contactid',
    columns: [
      'fullname',
      'firstname',
      'middlename',
      'lastname',
      'fax',
      'emailaddress1',
      'telephone1',
      'mobilephone',
      'jobtitle',
      'websiteurl',
      ...ADDRESS,
      'statecode',
    ],
    lookups: {
      ...currency,
      ...company,
      ...owner,
      parentcustomerid_account: { column: 'parentcustomerid', target: 'accounts' },
      parentcustomerid_contact: { column: 'parentcustomerid', target: 'contacts' },
    },
  },
  products: {
    idColumn: 'productid',
    columns: [
      'name',
      'productnumber',
      'description',
      'price',
      'standardcost',
      'producttypecode',
      'statecode',
    ],
    lookups: {
      ...currency,
      ...company,
      DefaultUoMId: { column: 'defaultuomid', target: 'uoms' },
      DefaultUoMScheduleId: { column: 'defaultuomscheduleid', target: 'uomschedules' },
    },
  },
  systemusers: {
    idColumn: 'systemuserid',
    columns: [
      'fullname',
      'firstname',
      'lastname',
      'internalemailaddress',
      'mobilephone',
      'isdisabled',
      'islicensed',
      'isintegrationuser',
      'accessmode',
      'applicationid',
      'azureactivedirectoryobjectid',
    ],
    lookups: { businessunitid: { column: 'businessunitid', target: 'businessunits' } },
  },
  transactioncurrencies: {
    idColumn: 'transactioncurrencyid',
    columns: ['isocurrencycode', 'currencyname', 'currencysymbol', 'exchangerate', 'statecode'],
    lookups: {},
  },
  // BC's company table (the integration solution's bcbi_company), which bcbi_companyid points into.
  bcbi_companies: { idColumn: 'bcbi_companyid', columns: ['bcbi_name', 'bcbi_companycode'], lookups: {} },
  // The Common Data Model's company table exists too, but no BC look-up points into it.
  cdm_companies: { idColumn: 'cdm_companyid', columns: ['cdm_name', 'cdm_companycode'], lookups: {} },
  organizations: {
    idColumn: 'organizationid',
    columns: ['name'],
    lookups: {
      basecurrencyid: { column: 'basecurrencyid', target: 'transactioncurrencies' },
    },
  },
  uoms: { idColumn: 'uomid', columns: ['name'], lookups: {} },
  uomschedules: { idColumn: 'uomscheduleid', columns: ['name'], lookups: {} },
  businessunits: { idColumn: 'businessunitid', columns: ['name'], lookups: {} },
};

/** Properties a response or $select may name: id, modifiedon, columns and _lookup_value. */
export function readableProperties(set: FakeDvSet): Set<string> {
  const lookups = Object.values(set.lookups).map((l) => `_${l.column}_value`);
  return new Set([set.idColumn, 'modifiedon', ...set.columns, ...lookups]);
}

/**
 * A request body as stored columns: plain columns as they are, `nav@odata.bind: /set(id)` as the
 * lookup's _x_value (null unbinds). Unknown properties and binds to missing rows fail as on Dataverse.
 */
export function toColumns(
  set: FakeDvSet,
  body: Record<string, unknown>,
  exists: (target: string, id: string) => boolean,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const nav = /^(.+)@odata\.bind$/.exec(key)?.[1];
    if (nav === undefined) {
      if (!set.columns.includes(key)) {
        throw new Error(
          `The property '${key}' does not exist on this type or is a lookup to be written with @odata.bind.`,
        );
      }
      values[key] = value;
      continue;
    }
    const lookup = set.lookups[nav];
    if (!lookup)
      throw new Error(
        `An undeclared property '${nav}' which only has property annotations in the payload was found.`,
      );
    if (value === null) {
      values[`_${lookup.column}_value`] = null;
      continue;
    }
    const target = /^\/([a-z_]+)\(([0-9a-f-]{36})\)$/i.exec(String(value));
    if (target && target[1] !== lookup.target) {
      // What the Web API says when a bind names another table than the look-up's own.
      throw new Error(
        `A resource with type 'Microsoft.Dynamics.CRM.${singular(target[1] as string)}' was found, but it is not ` +
          `assignable to the expected type 'Microsoft.Dynamics.CRM.${singular(lookup.target)}'. The type specified ` +
          'in the resource must be equal to either the expected type or a derived type.',
      );
    }
    if (!target || !exists(lookup.target, target[2] as string)) {
      throw new Error(`${lookup.target.replace(/s$/, '')} With Id = ${String(value)} Does Not Exist`);
    }
    values[`_${lookup.column}_value`] = (target[2] as string).toLowerCase();
  }
  return values;
}

/** Entity set → logical name, for the sets the fake serves (companies → company, currencies → currency). */
function singular(set: string): string {
  return set.endsWith('ies') ? `${set.slice(0, -3)}y` : set.replace(/s$/, '');
}
