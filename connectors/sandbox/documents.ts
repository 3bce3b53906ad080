import type { Document } from '../../core/ports/store.js';
import { z } from 'zod';
import { asText, nameTokens, normaliseName, phoneKey, plainKey } from '../../core/model/normalise.js';
import { FieldValue, type BcRecord, type DvRow, type Fields } from '../../core/model/record.js';
import { BC_KEY_FIELDS, type BcTable, type DvTable } from '../../core/model/tables.js';
import { parseDoc } from '../../core/ports/store.js';
import { DV_KEY_COLUMNS } from './tables.js';

/**
 * How a sandbox record is stored: `{ _id, number, fields, modifiedOn, etag }` plus derived search keys
 * (`_name`, `_search`, `_email`, `_phone`, `_number`) that the indexes cover. BC field names contain
 * dots ("No.") which MongoDB paths cannot address, so field names are stored with look-alike
 * characters and turned back on read.
 */
export interface SandboxDoc {
  _id: string;
  number?: string;
  fields: Record<string, FieldValue>;
  modifiedOn: Date;
  etag: string;
  _name: string;
  _search: string[];
  _email?: string;
  _phone?: string;
  _number?: string;
}

// Most keys need no change; testing first skips two regex replaces per field on every read and write.
const encodeKey = (k: string): string =>
  k.includes('.') || k.startsWith('$') ? k.replace(/\./g, '\uff0e').replace(/^\$/, '\uff04') : k;
const decodeKey = (k: string): string =>
  k.includes('\uff0e') || k.startsWith('\uff04') ? k.replace(/\uff0e/g, '.').replace(/^\uff04/, '$') : k;

export function encodeFields(fields: Fields): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(fields)) out[encodeKey(k)] = v;
  return out;
}

function decodeFields(stored: Record<string, FieldValue>): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(stored)) out[decodeKey(k)] = v;
  return out;
}

/** Dataverse computes full names of people; the sandbox does the same so searches find them. */
export function withComputedColumns(table: DvTable, fields: Fields): Fields {
  if (table !== 'contact' && table !== 'systemuser') return fields;
  if (!('firstname' in fields) && !('lastname' in fields)) return fields;
  const fullname = `${asText(fields['firstname'])} ${asText(fields['lastname'])}`.trim();
  return { ...fields, fullname };
}

export function bcNumberOf(table: BcTable, fields: Fields): string {
  return asText(fields[BC_KEY_FIELDS[table].number]).trim();
}

export function bcDoc(
  table: BcTable,
  id: string,
  fields: Fields,
  modifiedOn: Date,
  etag: string,
): SandboxDoc {
  const name = asText(fields[BC_KEY_FIELDS[table].name]);
  return {
    _id: id,
    number: bcNumberOf(table, fields),
    fields: encodeFields(fields),
    modifiedOn,
    etag,
    _name: normaliseName(name),
    _search: nameTokens(name),
  };
}

export function dvDoc(
  table: DvTable,
  id: string,
  fields: Fields,
  modifiedOn: Date,
  etag: string,
): SandboxDoc {
  const keys = DV_KEY_COLUMNS[table];
  const name = asText(fields[keys.name]);
  const doc: SandboxDoc = {
    _id: id,
    fields: encodeFields(fields),
    modifiedOn,
    etag,
    _name: normaliseName(name),
    _search: nameTokens(name),
  };
  const email = keys.email ? plainKey(asText(fields[keys.email])) : '';
  const phone = keys.phone ? phoneKey(asText(fields[keys.phone])) : '';
  const number = keys.number ? plainKey(asText(fields[keys.number])) : '';
  if (email) doc._email = email;
  if (phone) doc._phone = phone;
  if (number) doc._number = number;
  return doc;
}

const StoredRecord = z.object({
  id: z.string().min(1),
  number: z.string().optional(),
  fields: z.record(z.string(), FieldValue),
  modifiedOn: z.date(),
  etag: z.string(),
});

function parseStored(doc: Document, where: string) {
  return parseDoc(StoredRecord, { ...doc, id: doc['_id'] }, where);
}

export function toBcRecord(table: BcTable, doc: Document): BcRecord {
  const d = parseStored(doc, `sandbox Business Central ${table}`);
  return {
    table,
    id: d.id,
    number: d.number ?? '',
    fields: decodeFields(d.fields),
    modifiedOn: d.modifiedOn,
    etag: d.etag,
  };
}

export function toDvRow(table: DvTable, doc: Document): DvRow {
  const d = parseStored(doc, `sandbox Dataverse ${table}`);
  return { table, id: d.id, fields: decodeFields(d.fields), modifiedOn: d.modifiedOn, etag: d.etag };
}

/** Fields a sandbox table stores, for documents read back whole (reset, generator). */
export const storedFields = (doc: SandboxDoc): Fields => decodeFields(doc.fields);
