import type { TableFilter } from '../model/filter.js';
import { IntegrationTableMapping } from '../model/mapping.js';
import {
  contactFields,
  currencyFields,
  customerFields,
  itemFields,
  resourceFields,
  salespersonFields,
  vendorFields,
} from './default-fields.js';

/** The names of the default mappings, in the order BC lists them. */
export const DEFAULT_MAPPING_NAMES = [
  'CUSTOMER',
  'VENDOR',
  'CONTACT',
  'ITEM-PRODUCT',
  'RESOURCE-PRODUCT',
  'SALESPEOPLE',
  'CURRENCY',
] as const;

/** Rows of this company, or rows no company claimed yet (BC's "company id = current or empty"). */
const ofCompany = (companyId: string): TableFilter[number] => ({
  field: 'bcbi_companyid',
  anyOf: [companyId, null],
});
const active = { field: 'statecode', anyOf: [0] };

/** Account rows of one type code: 3 Customer, 11 Vendor (domain.md §6). */
const accounts = (companyId: string, customertypecode: number): TableFilter => [
  active,
  { field: 'customertypecode', anyOf: [customertypecode] },
  ofCompany(companyId),
];

/** Product rows of one type code: 1 Sales Inventory, 3 Services. */
const products = (companyId: string, producttypecode: number): TableFilter => [
  { field: 'producttypecode', anyOf: [producttypecode] },
  ofCompany(companyId),
];

const notBlocked: TableFilter = [{ field: 'Blocked', anyOf: [false] }];

/** Everything a mapping shares by default: BC's defaults for options users rarely change. */
const common = {
  syncOnlyCoupled: true,
  updateConflictResolution: 'None',
  deletionConflictResolution: 'None',
  createNewIfNoMatch: false,
  syncAfterCoupling: 'No',
  dependsOn: [],
  lastSyncedBcModifiedOn: null,
  lastSyncedDvModifiedOn: null,
  version: 0,
  updatedAt: null,
  updatedBy: null,
} as const;

/**
 * The default Integration Table Mappings (domain.md §1) for one BC company. The company id goes into
 * the Integration Table Filters so that rows of other companies sharing the environment stay out.
 */
export function defaultMappings(companyId: string): IntegrationTableMapping[] {
  const mappings = [
    {
      ...common,
      name: 'CUSTOMER',
      bcTable: 'Customer',
      dvTable: 'account',
      direction: 'Bidirectional',
      tableFilter: [{ field: 'Blocked', anyOf: [''] }],
      integrationTableFilter: accounts(companyId, 3),
      // BC's Dependency Filter: owners and currencies first.
      dependsOn: ['SALESPEOPLE', 'CURRENCY'],
      fields: customerFields(),
    },
    {
      ...common,
      name: 'VENDOR',
      bcTable: 'Vendor',
      dvTable: 'account',
      direction: 'Bidirectional',
      tableFilter: [{ field: 'Blocked', anyOf: [''] }],
      integrationTableFilter: accounts(companyId, 11),
      dependsOn: ['SALESPEOPLE', 'CURRENCY'],
      fields: vendorFields(),
    },
    {
      ...common,
      name: 'CONTACT',
      bcTable: 'Contact',
      dvTable: 'contact',
      direction: 'Bidirectional',
      tableFilter: [
        { field: 'Type', anyOf: ['Person'] },
        { field: 'Company No.', anyOf: [''], not: true },
      ],
      integrationTableFilter: [
        active,
        { field: 'parentcustomerid', anyOf: [null], not: true },
        ofCompany(companyId),
      ],
      dependsOn: ['CUSTOMER', 'VENDOR'],
      fields: contactFields(),
    },
    {
      ...common,
      name: 'ITEM-PRODUCT',
      bcTable: 'Item',
      dvTable: 'product',
      direction: 'ToIntegrationTable',
      tableFilter: notBlocked,
      integrationTableFilter: products(companyId, 1),
      fields: itemFields(),
    },
    {
      ...common,
      name: 'RESOURCE-PRODUCT',
      bcTable: 'Resource',
      dvTable: 'product',
      direction: 'ToIntegrationTable',
      tableFilter: notBlocked,
      integrationTableFilter: products(companyId, 3),
      fields: resourceFields(),
    },
    {
      ...common,
      name: 'SALESPEOPLE',
      bcTable: 'Salesperson/Purchaser',
      dvTable: 'systemuser',
      direction: 'FromIntegrationTable',
      tableFilter: [],
      integrationTableFilter: [
        { field: 'isdisabled', anyOf: [false] },
        { field: 'islicensed', anyOf: [true] },
        { field: 'isintegrationuser', anyOf: [false] },
        // Non-interactive users (application users) own no records people work with.
        { field: 'accessmode', anyOf: [4], not: true },
      ],
      fields: salespersonFields(),
    },
    {
      ...common,
      name: 'CURRENCY',
      bcTable: 'Currency',
      dvTable: 'transactioncurrency',
      direction: 'ToIntegrationTable',
      tableFilter: [],
      integrationTableFilter: [],
      fields: currencyFields(),
    },
  ];
  // Parsing here catches a typo in the defaults at start-up, not at the first sync.
  return mappings.map((m) => IntegrationTableMapping.parse(m));
}

/** The default of one mapping, or undefined for a name that has none. */
export function defaultMapping(companyId: string, name: string): IntegrationTableMapping | undefined {
  return defaultMappings(companyId).find((m) => m.name === name);
}
