import type { FieldMapping } from '../model/mapping.js';
import type { Fields } from '../model/record.js';
import { computePatch, type Pass, type Patch } from './fields.js';
import { LookupValues, type LookupSource } from './lookups.js';

/**
 * The patches that create records from their partners outside a synchronization run (Create New,
 * coupling from a Dataverse row, match's Create New): the same transfer as synchronization, lookups
 * (Currency Code → transactioncurrencyid) read first. One patch per record, in order.
 */
export async function newRecordPatches(
  source: LookupSource,
  mapping: { fields: readonly FieldMapping[] },
  pass: Pass,
  records: readonly Fields[],
): Promise<Patch[]> {
  const lookups = new LookupValues(source);
  await lookups.prepare(mapping.fields, pass === 'ToIntegrationTable' ? { bc: records } : { dv: records });
  return records.map((fields) => computePatch(mapping.fields, pass, fields, null, { lookups }));
}

/** newRecordPatches for one record. */
export async function newRecordPatch(
  source: LookupSource,
  mapping: { fields: readonly FieldMapping[] },
  pass: Pass,
  record: Fields,
): Promise<Patch> {
  const [patch] = await newRecordPatches(source, mapping, pass, [record]);
  return patch as Patch;
}
