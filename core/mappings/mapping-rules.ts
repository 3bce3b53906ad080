import { DomainError, ErrorCode } from '../errors.js';
import {
  DeletionConflictResolution,
  Direction,
  flowsToDataverse,
  UpdateConflictResolution,
  type IntegrationTableMapping,
} from '../model/mapping.js';
import type { MatchCriteria } from '../match/criteria-model.js';
import { resetCriteria, validateCriteria, withCriteria } from '../match/criteria.js';
import type { MappingChanges } from './mapping-repository.js';

/**
 * The rules for changing a mapping, as pure functions: each validates untrusted input against the
 * current mapping and returns the changes to store plus what the audit entry should say.
 */
export interface PlannedChange {
  changes: MappingChanges;
  details: Record<string, unknown>;
}

const invalid = (message: string) => new DomainError(ErrorCode.InvalidInput, message);

/** One of an enum's values, case-insensitively ("bidirectional" is Bidirectional). */
function oneOf<T extends string>(options: readonly T[], input: unknown, what: string): T {
  const text = typeof input === 'string' ? input.trim().toLowerCase() : undefined;
  const hit = options.find((o) => o.toLowerCase() === text);
  if (hit === undefined) {
    throw invalid(`${what} must be one of: ${options.join(', ')}; nothing was changed.`);
  }
  return hit;
}

export function planDirection(m: IntegrationTableMapping, input: unknown): PlannedChange {
  const direction = oneOf(Direction.options, input, 'Direction');
  const changes: MappingChanges = { direction };
  // Create New makes no sense once data stops flowing to Dataverse: switched off, not left dangling.
  if (m.createNewIfNoMatch && !flowsToDataverse(direction)) changes.createNewIfNoMatch = false;
  const { direction: _d, ...alsoChanged } = changes;
  return { changes, details: { from: m.direction, to: direction, alsoChanged } };
}

export function planSyncOnlyCoupled(m: IntegrationTableMapping, on: unknown): PlannedChange {
  if (typeof on !== 'boolean')
    throw invalid('Synch. Only Coupled Records must be on or off; nothing was changed.');
  return { changes: { syncOnlyCoupled: on }, details: { from: m.syncOnlyCoupled, to: on } };
}

export function planConflictResolution(
  m: IntegrationTableMapping,
  input: { update?: unknown; deletion?: unknown },
): PlannedChange {
  const changes: MappingChanges = {};
  if (input.update !== undefined) {
    const update = oneOf(UpdateConflictResolution.options, input.update, 'Resolve Update Conflicts');
    // The same rule as in the match criteria: only a bidirectional mapping can have update conflicts.
    if (update !== 'None' && m.direction !== 'Bidirectional') {
      throw new DomainError(
        ErrorCode.NotAllowedByMapping,
        `Resolve Update Conflicts applies to bidirectional mappings only; ${m.name} is ${m.direction}.`,
      );
    }
    changes.updateConflictResolution = update;
  }
  if (input.deletion !== undefined) {
    changes.deletionConflictResolution = oneOf(
      DeletionConflictResolution.options,
      input.deletion,
      'Resolve Deletion Conflicts',
    );
  }
  if (Object.keys(changes).length === 0)
    throw invalid('Say which conflict setting to change; nothing was changed.');
  return {
    changes,
    details: {
      from: { update: m.updateConflictResolution, deletion: m.deletionConflictResolution },
      to: changes,
    },
  };
}

/**
 * Match criteria: the rules are match-based coupling's own (core/match/criteria.ts — constants never
 * match, Create New only toward Dataverse, at least one match field); this only turns them into changes.
 */
export function planMatchCriteria(m: IntegrationTableMapping, input: unknown): PlannedChange {
  return criteriaChange(m, validateCriteria(m, input));
}

/** BC's Reset Criteria: the default mapping's match settings for the fields this mapping has. */
export function planResetMatchCriteria(
  m: IntegrationTableMapping,
  defaults: IntegrationTableMapping,
): PlannedChange {
  return criteriaChange(m, resetCriteria(m, defaults));
}

function criteriaChange(m: IntegrationTableMapping, criteria: MatchCriteria): PlannedChange {
  const next = withCriteria(m, criteria);
  const changes: MappingChanges = {
    fields: next.fields,
    createNewIfNoMatch: next.createNewIfNoMatch,
    syncAfterCoupling: next.syncAfterCoupling,
  };
  const matchOn = criteria.fields.filter((f) => f.match).map((f) => `${f.bcField} (priority ${f.priority})`);
  const { fields: _f, resolveUpdateConflicts: _r, ...options } = criteria;
  return { changes, details: { matchOn, ...options } };
}

export function planHighWaterMarks(
  m: IntegrationTableMapping,
  marks: { bc?: unknown; dv?: unknown },
): PlannedChange {
  const mark = (v: unknown, side: string): Date | null => {
    if (v === null) return null;
    if (v instanceof Date && !Number.isNaN(v.getTime())) return v;
    throw invalid(`The ${side} high-water mark must be a date or empty; nothing was changed.`);
  };
  const changes: MappingChanges = {};
  if (marks.bc !== undefined) changes.lastSyncedBcModifiedOn = mark(marks.bc, 'Business Central');
  if (marks.dv !== undefined) changes.lastSyncedDvModifiedOn = mark(marks.dv, 'Dataverse');
  if (Object.keys(changes).length === 0)
    throw invalid('Say which high-water mark to set; nothing was changed.');
  return {
    changes,
    details: { from: { bc: m.lastSyncedBcModifiedOn, dv: m.lastSyncedDvModifiedOn }, to: changes },
  };
}
