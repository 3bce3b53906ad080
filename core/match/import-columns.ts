import { z } from 'zod';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { FieldValue } from '../model/record.js';
import type { DvTable } from '../model/tables.js';
import { FORMULA_PROBLEM, startsLikeFormula } from '../model/spreadsheet-safety.js';

export type ImportKind = 'accounts' | 'products';

interface TypeSpec {
  code: number;
  /** The mapping whose Integration Table Filter rows of this type belong to. */
  mapping: string;
  label: string;
}

/** Per kind: the mapping whose field mappings name the columns, the type code column and its values (domain.md §6). */
export const IMPORT_KINDS: Record<
  ImportKind,
  {
    columnsFrom: string;
    table: DvTable;
    typeColumn: string;
    required: string[];
    types: Record<string, TypeSpec>;
  }
> = {
  accounts: {
    columnsFrom: 'CUSTOMER',
    table: 'account',
    typeColumn: 'customertypecode',
    required: ['name'],
    types: {
      customer: { code: 3, mapping: 'CUSTOMER', label: 'Customer' },
      '3': { code: 3, mapping: 'CUSTOMER', label: 'Customer' },
      vendor: { code: 11, mapping: 'VENDOR', label: 'Vendor' },
      '11': { code: 11, mapping: 'VENDOR', label: 'Vendor' },
    },
  },
  products: {
    columnsFrom: 'ITEM-PRODUCT',
    table: 'product',
    typeColumn: 'producttypecode',
    // Dataverse requires a product number, and it is what ITEM-PRODUCT matches on.
    required: ['name', 'productnumber'],
    types: {
      'sales inventory': { code: 1, mapping: 'ITEM-PRODUCT', label: 'Sales Inventory' },
      '1': { code: 1, mapping: 'ITEM-PRODUCT', label: 'Sales Inventory' },
      services: { code: 3, mapping: 'RESOURCE-PRODUCT', label: 'Services' },
      '3': { code: 3, mapping: 'RESOURCE-PRODUCT', label: 'Services' },
    },
  },
};

export const typeLabels = (kind: ImportKind): string =>
  [...new Set(Object.values(IMPORT_KINDS[kind].types).map((t) => t.label))].join(' or ');

export function typeOf(kind: ImportKind, value: string): TypeSpec | undefined {
  return IMPORT_KINDS[kind].types[value.trim().toLowerCase()];
}

/** Columns whose values are not free text; lookups (currency) cannot be set from a CSV value. */
const FORMATS: Record<string, 'money' | 'email' | 'phone' | 'url' | 'lookup'> = {
  creditlimit: 'money',
  price: 'money',
  standardcost: 'money',
  emailaddress1: 'email',
  telephone1: 'phone',
  mobilephone: 'phone',
  fax: 'phone',
  websiteurl: 'url',
  transactioncurrencyid: 'lookup',
};

/**
 * CSV/formula injection (core/model/spreadsheet-safety.ts): such values are REJECTED, not prefixed with
 * an apostrophe: the apostrophe would become part of the Dataverse value, which then no longer equals the
 * BC value — breaking exactly the match-based coupling this import prepares — and would be synchronized
 * back to BC. Rejecting names the line so the person fixes the source. Phone, e-mail, URL and money
 * values have strict formats that already exclude formulas.
 */
const noFormula = (v: string) => !startsLikeFormula(v);
const FORMULA_MESSAGE = FORMULA_PROBLEM;

const EMAIL = /^[A-Za-z0-9._%'+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const PHONE = /^\+?[0-9 ()./-]{3,}$/;
const URL_LIKE = /^(https?:\/\/)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(\/[^\s]*)?$/;
const MONEY = /^\d{1,15}(\.\d{1,4})?$/;

function columnSchema(column: string, maxLength: number): z.ZodType<FieldValue> {
  const text = z.string().max(maxLength, `longer than ${maxLength} characters`);
  switch (FORMATS[column]) {
    case 'money':
      return z
        .string()
        .regex(MONEY, 'must be a number like 25000 or 1999.95 (no thousands separators, not negative)')
        .transform(Number);
    case 'email':
      return text.regex(EMAIL, 'is not an e-mail address').refine(noFormula, FORMULA_MESSAGE);
    case 'phone':
      return text.regex(PHONE, 'is not a phone number (digits, spaces, + ( ) . / - only)');
    case 'url':
      return text.regex(URL_LIKE, 'is not a web address');
    default:
      return text.refine(noFormula, FORMULA_MESSAGE);
  }
}

export interface ImportColumns {
  /** header cell (lower case) → Dataverse column */
  aliases: Map<string, string>;
  schemas: Map<string, z.ZodType<FieldValue>>;
}

/**
 * The columns an import accepts are the mapping's field mappings toward Dataverse (one source of
 * truth for names and length limits); a header may use the Dataverse name or BC's ("E-Mail").
 */
export function importColumns(kind: ImportKind, mapping: IntegrationTableMapping): ImportColumns {
  const aliases = new Map<string, string>();
  const schemas = new Map<string, z.ZodType<FieldValue>>();
  for (const f of mapping.fields) {
    if (f.constant !== null || f.direction === 'FromIntegrationTable' || FORMATS[f.dvField] === 'lookup')
      continue;
    aliases.set(f.dvField.toLowerCase(), f.dvField);
    aliases.set(f.bcField.toLowerCase(), f.dvField);
    schemas.set(f.dvField, columnSchema(f.dvField, f.maxLength ?? 4000));
  }
  const typeColumn = IMPORT_KINDS[kind].typeColumn;
  aliases.set('type', typeColumn);
  aliases.set(typeColumn, typeColumn);
  return { aliases, schemas };
}
