import type { Coupling } from '../model/coupling.js';
import type { BcRecord, DvRow } from '../model/record.js';
import { inSlices } from './chunks.js';
import type { Patch } from './fields.js';
import { journalFieldWrites } from './journal-writes.js';
import type { RunContext } from './run-context.js';

/** A record planned for writing; the write replaces `bc` / `dv` with what the system now holds. */
export interface Pending {
  coupling: Coupling;
  bc: BcRecord;
  dv: DvRow;
  toDv: Patch;
  toBc: Patch;
  /** Fields changed on both sides that the mapping's conflict rule decided. */
  conflicts?: string[];
  error?: { message: string; side: 'bc' | 'dv' };
}

/** One batched write per side; BC → Dataverse first (domain.md §3). A record whose first write failed is not written again. */
export async function writeSide(ctx: RunContext, side: 'bc' | 'dv', pending: Pending[]): Promise<void> {
  const todo = pending.filter((p) => !p.error && p[side === 'dv' ? 'toDv' : 'toBc'].changes.length > 0);
  if (todo.length === 0) return;
  const { deps, mapping } = ctx;
  const system = side === 'dv' ? 'Dataverse' : 'Business Central';
  await journalFieldWrites(
    ctx,
    side,
    todo.map((p) => ({
      coupling: p.coupling,
      before: side === 'dv' ? p.dv : p.bc,
      fields: (side === 'dv' ? p.toDv : p.toBc).fields,
      number: p.bc.number,
    })),
  );
  const results =
    side === 'dv'
      ? await inSlices(todo, (slice) =>
          deps.dv.updateMany(
            mapping.dvTable,
            slice.map((p) => ({
              id: p.dv.id,
              fields: p.toDv.fields,
              ...(p.dv.etag ? { etag: p.dv.etag } : {}),
            })),
          ),
        )
      : await inSlices(todo, (slice) =>
          deps.bc.updateMany(
            mapping.bcTable,
            slice.map((p) => ({
              id: p.bc.id,
              fields: p.toBc.fields,
              ...(p.bc.etag ? { etag: p.bc.etag } : {}),
            })),
          ),
        );
  todo.forEach((p, i) => {
    const r = results[i];
    if (!r || !r.ok)
      p.error = { message: `${system} refused the update: ${r?.error ?? 'no answer for this record'}`, side };
    else if (side === 'dv') p.dv = r.value as DvRow;
    else p.bc = r.value as BcRecord;
  });
}
