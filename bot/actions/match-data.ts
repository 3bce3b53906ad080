import { z } from 'zod';
import { OUTCOME_KINDS } from '../../core/match/outcome.js';

/**
 * Shapes of match card data (untrusted): the run id as core makes them (a GUID), page numbers as the
 * card sends them. Core checks again that the run exists and which rows belong to it.
 */
export const RunId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a run id');

/** Any whole number is clamped to the pages core can have; the card then shows the nearest real page. */
export const PageNumber = z
  .union([
    z.number().int(),
    z
      .string()
      .regex(/^-?\d{1,9}$/)
      .transform(Number),
  ])
  .transform((p) => Math.min(Math.max(p, 0), 100_000));

export const RowKind = z.union([z.literal(''), z.enum(OUTCOME_KINDS)]).default('');

/** The records a run is limited to, as the criteria card carries them; core parses and checks it. */
export const MatchScopeText = z.string().max(2000).default('');

export { MappingName } from './data.js';
