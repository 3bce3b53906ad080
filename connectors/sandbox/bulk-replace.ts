import type { AnyBulkWriteOperation, Collection } from '../../core/ports/store.js';
import { writeErrorIndexes } from '../../core/ports/store.js';
import { isDuplicateKeyError } from '../../core/ports/store.js';
import type { SandboxDoc } from './documents.js';

export type ReplaceOutcome = 'ok' | 'duplicate' | 'conflict';

/**
 * Replaces each document only if its etag is still `expectedEtag` (compare-and-set), in one unordered
 * bulk write, then tells per document whether its write landed: the bulk result has only totals. A
 * second replacement of the same id in one batch carries the same old etag, so it loses (conflict).
 */
export async function bulkReplace(
  col: Collection<SandboxDoc>,
  writes: ReadonlyArray<{ next: SandboxDoc; expectedEtag: string }>,
): Promise<ReplaceOutcome[]> {
  if (writes.length === 0) return [];
  const ops: Array<AnyBulkWriteOperation<SandboxDoc>> = writes.map((w) => ({
    replaceOne: { filter: { _id: w.next._id, etag: w.expectedEtag }, replacement: w.next },
  }));
  let duplicates = new Set<number>();
  let matched = -1;
  try {
    matched = (await col.bulkWrite(ops, { ordered: false })).matchedCount;
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
    duplicates = writeErrorIndexes(e);
  }
  if (matched === writes.length) return writes.map(() => 'ok');
  const ids = [...new Set(writes.map((w) => w.next._id))];
  const stored = new Map((await col.find({ _id: { $in: ids } }).toArray()).map((d) => [d._id, d]));
  return writes.map(({ next }, i) => {
    if (duplicates.has(i)) return 'duplicate';
    const now = stored.get(next._id);
    const landed = now?.etag === next.etag && now.modifiedOn.getTime() === next.modifiedOn.getTime();
    return landed ? 'ok' : 'conflict';
  });
}
