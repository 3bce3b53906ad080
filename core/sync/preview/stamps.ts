import type { BcRecord, DvRow } from '../../model/record.js';

/** Records changed this long before a preview started are checked again before it runs for real (clock skew). */
export const STAMP_MARGIN_MS = 60_000;
/** Recently changed records remembered per side; beyond it, the run is refused rather than trusted blindly. */
export const MAX_STAMPS = 2000;

export type Side = 'bc' | 'dv';
/**
 * When the record was last changed, as the preview read it. Not the ETag: a listing and a read by id
 * may carry it differently for the same unchanged record.
 */
export const stampOf = (r: BcRecord | DvRow): string => r.modifiedOn.toISOString();

/**
 * The records a preview read that were changed shortly before or during it. Before running for real,
 * the records changed since `cutoff` are listed again: one the preview did not see, or saw differently,
 * changed since the preview. Older records need no stamp: a change to them would be newer than the cutoff.
 */
export class RecentStamps {
  readonly bc = new Map<string, string>();
  readonly dv = new Map<string, string>();
  overflow = false;

  constructor(readonly cutoff: Date) {}

  note(side: Side, records: ReadonlyArray<BcRecord | DvRow>): void {
    const map = this[side];
    for (const r of records) {
      if (r.modifiedOn <= this.cutoff) continue;
      if (map.size >= MAX_STAMPS && !map.has(r.id)) this.overflow = true;
      else map.set(r.id, stampOf(r));
    }
  }
}
