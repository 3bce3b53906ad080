import { z } from 'zod';
import { DomainError, ErrorCode } from '../errors.js';
import {
  flowsToDataverse,
  SyncAfterCoupling,
  UpdateConflictResolution,
  type IntegrationTableMapping,
} from '../model/mapping.js';
import type { MatchCriteria } from './criteria-model.js';
import { noCriteriaMessage } from './groups.js';

/** Card inputs arrive as text ("true", "", "2"); these accept both the text and the typed value. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const PRIORITY = { error: 'Match Priority must be a whole number from 0 to 1000 (blank = 0)' };
const priority = z.union(
  [
    z.number().int(PRIORITY).min(0, PRIORITY).max(1000, PRIORITY),
    z
      .string()
      .trim()
      .regex(/^\d{0,3}$/, PRIORITY)
      .transform((v) => (v === '' ? 0 : Number(v))),
  ],
  PRIORITY,
);

/** What a person may change in the criteria; fields not listed keep their current settings. */
export const CriteriaInput = z.strictObject({
  fields: z
    .array(
      z.strictObject({
        bcField: z.string().min(1).max(100),
        match: flag.optional(),
        caseSensitive: flag.optional(),
        priority: priority.optional(),
      }),
    )
    .max(200)
    .default([]),
  createNew: flag.optional(),
  syncAfterCoupling: SyncAfterCoupling.optional(),
  resolveUpdateConflicts: UpdateConflictResolution.optional(),
});
export type CriteriaInput = z.input<typeof CriteriaInput>;

const invalid = (message: string) => new DomainError(ErrorCode.InvalidInput, `${message} Nothing was saved.`);

/** "E-Mail: Match Priority must be …" rather than "fields.3.priority: …" where the field is known. */
function describeIssue(error: z.ZodError, input: unknown): string {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  const fields = (input as { fields?: unknown } | null)?.fields;
  const named =
    path[0] === 'fields' && typeof path[1] === 'number' && Array.isArray(fields)
      ? fields[path[1]]
      : undefined;
  const name = (named as { bcField?: unknown } | undefined)?.bcField;
  const where = typeof name === 'string' && path.length > 2 ? `${name}` : path.join('.') || 'input';
  return `${where}: ${issue?.message ?? 'invalid'}`;
}

/** The criteria a mapping holds now: every field mapping without a constant, with its match settings. */
export function criteriaOf(mapping: IntegrationTableMapping): MatchCriteria {
  return {
    fields: mapping.fields
      .filter((f) => f.constant === null)
      .map((f) => ({
        bcField: f.bcField,
        dvField: f.dvField,
        match: f.useForMatch,
        caseSensitive: f.caseSensitive,
        priority: f.matchPriority,
      })),
    createNew: mapping.createNewIfNoMatch && flowsToDataverse(mapping.direction),
    syncAfterCoupling: mapping.syncAfterCoupling,
    resolveUpdateConflicts: mapping.direction === 'Bidirectional' ? mapping.updateConflictResolution : 'None',
  };
}

/**
 * Validates a change of criteria against the mapping (domain.md §4) and returns the complete criteria.
 * Refused with a message naming the fix: unknown fields, constants as match fields, Create New when data
 * never flows to Dataverse, Resolve Update Conflicts on a one-way mapping, no match field at all.
 */
export function validateCriteria(mapping: IntegrationTableMapping, input: unknown): MatchCriteria {
  const parsed = CriteriaInput.safeParse(input);
  if (!parsed.success) throw invalid(`Match criteria: ${describeIssue(parsed.error, input)}.`);
  const change = parsed.data;
  const current = criteriaOf(mapping);
  const fields = current.fields.map((f) => ({ ...f }));
  for (const c of change.fields) {
    const mapped = mapping.fields.find((f) => f.bcField.toLowerCase() === c.bcField.toLowerCase());
    if (!mapped) throw invalid(`Table mapping ${mapping.name} has no field "${c.bcField}".`);
    const target = fields.find((f) => f.bcField === mapped.bcField);
    if (!target) {
      if (c.match !== true) continue;
      throw invalid(
        `${mapped.bcField} has the constant value "${mapped.constant}" in table mapping ${mapping.name}, ` +
          'so it cannot be a match field.',
      );
    }
    if (c.match !== undefined) target.match = c.match;
    if (c.caseSensitive !== undefined) target.caseSensitive = c.caseSensitive;
    if (c.priority !== undefined) target.priority = c.priority;
  }
  const createNew = change.createNew ?? current.createNew;
  if (createNew && !flowsToDataverse(mapping.direction)) {
    throw invalid(
      `Create New If Unable to Find a Match is not available for ${mapping.name}: its direction is ` +
        'FromIntegrationTable, so data never flows to Dataverse.',
    );
  }
  const resolve = change.resolveUpdateConflicts ?? current.resolveUpdateConflicts;
  if (resolve !== 'None' && mapping.direction !== 'Bidirectional') {
    throw invalid(
      `Resolve Update Conflicts applies to bidirectional mappings only; ${mapping.name} is ${mapping.direction}.`,
    );
  }
  if (!fields.some((f) => f.match))
    throw new DomainError(ErrorCode.NoMatchCriteria, noCriteriaMessage(mapping.name));
  return {
    fields,
    createNew,
    syncAfterCoupling: change.syncAfterCoupling ?? current.syncAfterCoupling,
    resolveUpdateConflicts: resolve,
  };
}

/**
 * The mapping with these criteria written into its field mappings and match options (pure; saving is the
 * caller's). Resolve Update Conflicts is not among them: the criteria carry it for their run only.
 */
export function withCriteria(
  mapping: IntegrationTableMapping,
  criteria: MatchCriteria,
): IntegrationTableMapping {
  const byField = new Map(criteria.fields.map((f) => [f.bcField, f]));
  return {
    ...mapping,
    fields: mapping.fields.map((f) => {
      const c = byField.get(f.bcField);
      return c && f.constant === null
        ? { ...f, useForMatch: c.match, caseSensitive: c.caseSensitive, matchPriority: c.priority }
        : f;
    }),
    createNewIfNoMatch: criteria.createNew,
    syncAfterCoupling: criteria.syncAfterCoupling,
    // Resolve Update Conflicts on the criteria card is that run's choice: the mapping's own setting
    // changes only with `mapping <name> update-conflicts …`, never as a side effect of saving criteria.
  };
}

/**
 * Reset Criteria: the defaults of the default mapping, for the fields the current mapping has. Options
 * follow the default mapping too, except that Create New is never offered where data cannot flow to
 * Dataverse (the direction may have been changed since).
 */
export function resetCriteria(
  current: IntegrationTableMapping,
  defaults: IntegrationTableMapping,
): MatchCriteria {
  const byField = new Map(criteriaOf(defaults).fields.map((f) => [f.bcField, f]));
  const fields = criteriaOf(current).fields.map(
    (f) => byField.get(f.bcField) ?? { ...f, match: false, caseSensitive: false, priority: 0 },
  );
  const options = criteriaOf(defaults);
  return {
    fields,
    createNew: options.createNew && flowsToDataverse(current.direction),
    syncAfterCoupling: options.syncAfterCoupling,
    resolveUpdateConflicts: current.direction === 'Bidirectional' ? options.resolveUpdateConflicts : 'None',
  };
}
