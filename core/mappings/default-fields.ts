import { FieldMapping, type Direction } from '../model/mapping.js';

/**
 * Field mappings of the default Integration Table Mappings (domain.md §1). `maxLength` is the target
 * column's limit: Dataverse's for data flowing to Dataverse, BC's for SALESPEOPLE (FromIntegrationTable).
 */
type Extra = Partial<Pick<FieldMapping, 'maxLength' | 'useForMatch' | 'matchPriority' | 'caseSensitive'>>;

const field = (bcField: string, dvField: string, direction: Direction, extra: Extra = {}): FieldMapping =>
  FieldMapping.parse({ bcField, dvField, direction, ...extra });

const both = (bc: string, dv: string, extra?: Extra) => field(bc, dv, 'Bidirectional', extra);
const toDv = (bc: string, dv: string, extra?: Extra) => field(bc, dv, 'ToIntegrationTable', extra);
const fromDv = (bc: string, dv: string, extra?: Extra) => field(bc, dv, 'FromIntegrationTable', extra);
const match = (matchPriority: number): Extra => ({ useForMatch: true, matchPriority });

/** The account columns CUSTOMER and VENDOR share. */
const accountAddressAndContact = (): FieldMapping[] => [
  both('Contact', 'address1_primarycontactname', { maxLength: 100 }),
  both('Address', 'address1_line1', { maxLength: 250 }),
  both('Address 2', 'address1_line2', { maxLength: 250 }),
  both('Post Code', 'address1_postalcode', { maxLength: 20 }),
  both('City', 'address1_city', { maxLength: 80 }),
  both('Country/Region Code', 'address1_country', { maxLength: 80 }),
  both('County', 'address1_stateorprovince', { maxLength: 50 }),
  both('E-Mail', 'emailaddress1', { maxLength: 100 }),
  both('Home Page', 'websiteurl', { maxLength: 200 }),
  both('Phone No.', 'telephone1', { maxLength: 50 }),
  // Look-ups (core/sync/lookups.ts): the currency by ISO code, the primary contact through CONTACT couplings.
  toDv('Currency Code', 'transactioncurrencyid'),
  both('Primary Contact No.', 'primarycontactid'),
];

export const customerFields = (): FieldMapping[] => [
  both('Name', 'name', { maxLength: 160, ...match(0) }),
  ...accountAddressAndContact(),
  // The owner (a systemuser) through SALESPEOPLE couplings.
  toDv('Salesperson Code', 'ownerid'),
  toDv('Credit Limit (LCY)', 'creditlimit'),
  toDv('No.', 'accountnumber', { maxLength: 20 }),
];

export const vendorFields = (): FieldMapping[] => [
  both('Name', 'name', { maxLength: 160, ...match(0) }),
  ...accountAddressAndContact(),
  toDv('Purchaser Code', 'ownerid'),
  toDv('No.', 'accountnumber', { maxLength: 20 }),
];

/** Dataverse computes contact.fullname from first and last name, so Name is not mapped (as in BC). */
export const contactFields = (): FieldMapping[] => [
  both('First Name', 'firstname', { maxLength: 50, ...match(0) }),
  both('Middle Name', 'middlename', { maxLength: 50 }),
  both('Surname', 'lastname', { maxLength: 50, ...match(0) }),
  both('Job Title', 'jobtitle', { maxLength: 100 }),
  both('E-Mail', 'emailaddress1', { maxLength: 100, ...match(1) }),
  both('Phone No.', 'telephone1', { maxLength: 50 }),
  both('Mobile Phone No.', 'mobilephone', { maxLength: 50 }),
  both('Fax No.', 'fax', { maxLength: 50 }),
  both('Address', 'address1_line1', { maxLength: 250 }),
  both('Address 2', 'address1_line2', { maxLength: 250 }),
  both('Post Code', 'address1_postalcode', { maxLength: 20 }),
  both('City', 'address1_city', { maxLength: 80 }),
  both('Country/Region Code', 'address1_country', { maxLength: 80 }),
  both('Home Page', 'websiteurl', { maxLength: 200 }),
  // The company's customer or vendor's coupled account (core/sync/lookups/parent.ts).
  both('Company No.', 'parentcustomerid'),
  toDv('Salesperson Code', 'ownerid'),
];

/** ITEM-PRODUCT is ToIntegrationTable, but Description ↔ name flows both ways (domain.md §1). */
export const itemFields = (): FieldMapping[] => [
  toDv('No.', 'productnumber', { maxLength: 100, ...match(0) }),
  both('Description', 'name', { maxLength: 100 }),
  toDv('Unit Price', 'price'),
  toDv('Unit Cost', 'standardcost'),
];

export const resourceFields = (): FieldMapping[] => [
  toDv('No.', 'productnumber', { maxLength: 100, ...match(0) }),
  toDv('Name', 'name', { maxLength: 100 }),
  toDv('Unit Price', 'price'),
  toDv('Unit Cost', 'standardcost'),
];

/** Data flows into BC here, so the limits are BC's (Salesperson/Purchaser: Name 50, E-Mail 80, Phone 30). */
export const salespersonFields = (): FieldMapping[] => [
  fromDv('Name', 'fullname', { maxLength: 50, ...match(1) }),
  fromDv('E-Mail', 'internalemailaddress', { maxLength: 80, ...match(0) }),
  fromDv('Phone No.', 'mobilephone', { maxLength: 30 }),
];

export const currencyFields = (): FieldMapping[] => [
  toDv('Code', 'isocurrencycode', { maxLength: 5, ...match(0) }),
  toDv('Symbol', 'currencysymbol', { maxLength: 10 }),
  toDv('Description', 'currencyname', { maxLength: 100 }),
  toDv('Currency Factor', 'exchangerate'),
];
