import { recommend, type Recommendation, type SyncOption } from './change-detection.js';
import { requireAvailable } from '../mappings/availability.js';
import type { SyncDeps } from './deps.js';
import { LookupValues } from './lookups.js';
import { optionsOf, parseBcIds } from './sync-input.js';

/** The Synchronize Now choice for one or many records (the direction card). */
export interface SyncChoice {
  mapping: string;
  options: SyncOption[];
  recommended: SyncOption | null;
  records: Array<{
    bcId: string;
    bcNumber: string;
    /** False when the record has no coupling in this mapping (nothing to synchronize). */
    coupled: boolean;
    recommendation?: Recommendation;
    problem?: string;
  }>;
}

/**
 * What the direction card offers for these records: the options every record allows, pre-selecting the
 * recommendation they share — none when a bidirectional field changed on both sides of any of them.
 */
export async function recommendChoice(
  deps: SyncDeps,
  mappingName: string,
  bcIds: readonly string[],
): Promise<SyncChoice> {
  const mapping = requireAvailable(deps, await deps.mappings.get(mappingName));
  const ids = parseBcIds(bcIds);
  const couplings = new Map((await deps.couplings.getManyByBcIds(mapping.name, ids)).map((c) => [c.bcId, c]));
  const coupled = [...couplings.values()];
  const bcs = new Map(
    (
      await deps.bc.getManyByIds(
        mapping.bcTable,
        coupled.map((c) => c.bcId),
      )
    ).map((r) => [r.id, r]),
  );
  const dvs = new Map(
    (
      await deps.dv.getMany(
        mapping.dvTable,
        coupled.map((c) => c.dvId),
      )
    ).map((r) => [r.id, r]),
  );
  // Whether a Currency Code differs from its account's currency is decided through the CURRENCY couplings.
  const lookups = new LookupValues(deps);
  await lookups.prepare(mapping.fields, {
    bc: [...bcs.values()].map((r) => r.fields),
    dv: [...dvs.values()].map((r) => r.fields),
  });
  const records: SyncChoice['records'] = ids.map((id) => {
    const c = couplings.get(id);
    if (!c)
      return {
        bcId: id,
        bcNumber: '',
        coupled: false,
        problem: `This ${mapping.bcTable} is not coupled.`,
      };
    const bc = bcs.get(c.bcId);
    const dv = dvs.get(c.dvId);
    if (!bc || !dv)
      return {
        bcId: id,
        bcNumber: c.bcNumber,
        coupled: true,
        problem: bc
          ? `Its ${mapping.dvTable} was deleted in Dataverse.`
          : 'It was deleted in Business Central.',
      };
    return {
      bcId: id,
      bcNumber: c.bcNumber,
      coupled: true,
      recommendation: recommend(mapping, c, bc, dv, lookups),
    };
  });
  const recs = records.flatMap((r) => (r.recommendation ? [r.recommendation] : []));
  const options = optionsOf(mapping).filter((o) => recs.every((r) => r.options.includes(o)));
  const picks = new Set(recs.map((r) => r.recommended));
  const only = picks.size === 1 ? [...picks][0] : undefined;
  const recommended =
    only !== undefined
      ? only
      : picks.has(null)
        ? null
        : options.includes('Bidirectional')
          ? 'Bidirectional'
          : (options[0] ?? null);
  return { mapping: mapping.name, options, recommended, records };
}
