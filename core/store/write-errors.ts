/**
 * Positions of the failed writes in an unordered bulk write (insertMany / bulkWrite): the driver's
 * MongoBulkWriteError lists them in `writeErrors`, an array or, for one error, sometimes a single object.
 */
export function writeErrorIndexes(e: unknown): Set<number> {
  const raw = (e as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return new Set(list.map((w) => Number((w as { index?: unknown }).index)));
}
