import { z } from 'zod';
import { BcTable, DvTable } from './tables.js';

/** A field value as both systems exchange it. Dates travel as ISO strings. */
export const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type FieldValue = z.infer<typeof FieldValue>;

export const Fields = z.record(z.string(), FieldValue);
export type Fields = z.infer<typeof Fields>;

/**
 * A Business Central record. `fields` are keyed by the BC field names the mappings use
 * ("No.", "Name", "Phone No."); the HTTP connector translates to API v2.0 names (phoneNumber).
 */
export const BcRecord = z.object({
  table: BcTable,
  /** systemId (GUID) */
  id: z.string().min(1),
  /** "No." or "Code" */
  number: z.string(),
  fields: Fields,
  modifiedOn: z.date(),
  etag: z.string().optional(),
});
export type BcRecord = z.infer<typeof BcRecord>;

/** A Dataverse row; `fields` are keyed by column logical names (name, telephone1, bcbi_companyid). */
export const DvRow = z.object({
  table: DvTable,
  id: z.string().min(1),
  fields: Fields,
  modifiedOn: z.date(),
  etag: z.string().optional(),
});
export type DvRow = z.infer<typeof DvRow>;
