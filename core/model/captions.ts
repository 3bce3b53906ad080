import type { IntegrationTableMapping } from './mapping.js';
import type { DvTable } from './tables.js';

/**
 * What people read instead of column names. Business Central fields are already named by their
 * captions throughout ("E-Mail", "Phone No.", "Country/Region Code"), as BC's Integration Field Mapping
 * page shows them; Dataverse columns have logical names (`emailaddress1`) and display names ("Email"),
 * listed here for the columns the default mappings and the candidate search use.
 */
export const DV_CAPTIONS: Readonly<Record<DvTable, Readonly<Record<string, string>>>> = {
  account: {
    name: 'Account Name',
    accountnumber: 'Account Number',
    emailaddress1: 'Email',
    telephone1: 'Main Phone',
    websiteurl: 'Website',
    address1_line1: 'Address 1: Street 1',
    address1_line2: 'Address 1: Street 2',
    address1_city: 'Address 1: City',
    address1_postalcode: 'Address 1: ZIP/Postal Code',
    address1_stateorprovince: 'Address 1: State/Province',
    address1_country: 'Address 1: Country/Region',
    address1_primarycontactname: 'Address 1: Primary Contact Name',
    primarycontactid: 'Primary Contact',
    transactioncurrencyid: 'Currency',
    ownerid: 'Owner',
    creditlimit: 'Credit Limit',
  },
  contact: {
    fullname: 'Full Name',
    firstname: 'First Name',
    middlename: 'Middle Name',
    lastname: 'Last Name',
    jobtitle: 'Job Title',
    emailaddress1: 'Email',
    telephone1: 'Business Phone',
    mobilephone: 'Mobile Phone',
    fax: 'Fax',
    websiteurl: 'Website',
    address1_line1: 'Address 1: Street 1',
    address1_line2: 'Address 1: Street 2',
    address1_city: 'Address 1: City',
    address1_postalcode: 'Address 1: ZIP/Postal Code',
    address1_country: 'Address 1: Country/Region',
    parentcustomerid: 'Company Name',
    ownerid: 'Owner',
  },
  product: {
    name: 'Name',
    productnumber: 'Product ID',
    price: 'List Price',
    standardcost: 'Standard Cost',
  },
  systemuser: {
    fullname: 'Full Name',
    internalemailaddress: 'Primary Email',
    mobilephone: 'Mobile Phone',
  },
  transactioncurrency: {
    currencyname: 'Currency Name',
    isocurrencycode: 'Currency Code',
    currencysymbol: 'Currency Symbol',
  },
};

/** A Dataverse column's display name, or its logical name when it is not one of the known columns. */
export function dvCaption(table: DvTable, column: string): string {
  return DV_CAPTIONS[table][column] ?? column;
}

/**
 * A column's display name where the table is not at hand (a look-up's message): the look-up columns
 * (Owner, Currency, Primary Contact, Company Name) read the same in every table that has them.
 */
export function dvColumnCaption(column: string): string {
  for (const captions of Object.values(DV_CAPTIONS)) {
    const caption = captions[column];
    if (caption !== undefined) return caption;
  }
  return column;
}

/**
 * How a card labels a Dataverse value next to a Business Central record: the caption of the BC field
 * the mapping maps to that column ("E-Mail" for emailaddress1), which is what the user compares it
 * with; the column's Dataverse display name when no enabled field maps to it.
 */
export function columnCaption(mapping: IntegrationTableMapping, column: string): string {
  const mapped = mapping.fields.find(
    (f) => f.dvField === column && f.status === 'Enabled' && f.constant === null,
  );
  return mapped ? mapped.bcField : dvCaption(mapping.dvTable, column);
}
