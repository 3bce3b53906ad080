import type { Coupling } from '../model/coupling.js';
import type { FieldMapping, IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import {
  conflictingFields,
  conflictMessage,
  fieldStates,
  modifiedSides,
  type FieldState,
} from './change-detection.js';
import { computePatch, type Pass, type Patch, type Side } from './fields.js';
import type { LookupValues } from './lookups.js';

/**
 * How a record is synchronized:
 * - `forced`: a person chose one direction (Send / Get, or "this side wins"): that side's values are
 *   written for every field flowing that way, whatever changed.
 * - `auto`: the mapping's rules (Merge, modified and full runs): only what changed flows, conflicts are
 *   resolved by the mapping. `full` examines records even when neither side was modified.
 */
export type PlanMode = { kind: 'forced'; pass: Pass } | { kind: 'auto'; full: boolean };

export type RecordPlan =
  /** Neither side changed since the last synchronization (or only the side that does not flow). */
  | { kind: 'not-modified' }
  /**
   * Patches for each side; both empty means Unchanged. BC → Dataverse is written first. `conflicts`:
   * bidirectional fields changed on both sides that Resolve Update Conflicts decided (a ping-pong sign).
   */
  | { kind: 'write'; toDv: Patch; toBc: Patch; conflicts?: string[] }
  | { kind: 'conflict'; fields: string[]; message: string }
  /** A value cannot be written; `sides` are the sides that would have received data. */
  | { kind: 'failed'; message: string; sides: Side[]; waitingFor: string[] };

export interface PlanInput {
  mapping: IntegrationTableMapping;
  coupling: Coupling;
  bc: BcRecord;
  dv: DvRow;
  mode: PlanMode;
  /** Lookup values of both records, read ahead (LookupValues.prepare). */
  lookups?: LookupValues;
}

const empty = (): Patch => ({ fields: {}, changes: [], errors: [], waitingFor: [], notes: [] });

function written(toDv: Patch, toBc: Patch): RecordPlan {
  const errors = [...toDv.errors, ...toBc.errors];
  if (errors.length > 0) {
    const sides: Side[] = [
      ...(toDv.errors.length > 0 ? ['dv' as const] : []),
      ...(toBc.errors.length > 0 ? ['bc' as const] : []),
    ];
    const waitingFor = [...new Set([...toDv.waitingFor, ...toBc.waitingFor])];
    return { kind: 'failed', message: errors.join(' '), sides, waitingFor };
  }
  return { kind: 'write', toDv, toBc };
}

/** Which side wins a bidirectional field in a merge; null when nothing must be written. */
function winner(
  s: FieldState,
  forConflict: 'bc' | 'dv' | null,
  sides: { bc: boolean; dv: boolean },
  full: boolean,
): 'bc' | 'dv' | null {
  if (!s.differs) return null;
  if (s.bcChanged && s.dvChanged) return forConflict;
  if (s.bcChanged) return 'bc';
  if (s.dvChanged) return 'dv';
  // Neither changed this field but the values differ (never synchronized, or drifted): the modified
  // side wins, Business Central first as in BC's bidirectional runs.
  if (sides.bc || full) return 'bc';
  return sides.dv ? 'dv' : null;
}

function merge(input: PlanInput, full: boolean): RecordPlan {
  const { mapping, coupling, bc, dv, lookups } = input;
  const sides = modifiedSides(coupling, bc, dv);
  if (!full && !sides.bc && !sides.dv) return { kind: 'not-modified' };
  const states = fieldStates(mapping.fields, coupling, bc.fields, dv.fields, sides, lookups);
  const conflicts = conflictingFields(states);
  let onConflict: 'bc' | 'dv' | null = null;
  if (conflicts.length > 0) {
    if (mapping.updateConflictResolution === 'None') {
      return {
        kind: 'conflict',
        fields: conflicts.map((f) => f.bcField),
        message: conflictMessage(mapping, coupling.bcNumber, conflicts),
      };
    }
    onConflict = mapping.updateConflictResolution === 'Send Update to Integration' ? 'bc' : 'dv';
  }
  const wins = new Map<FieldMapping, 'bc' | 'dv' | null>(
    states.map((s) => [s.fm, winner(s, onConflict, sides, full)]),
  );
  // Constants are always due; one-way fields follow their own side: written when that side was
  // modified (or on a full run).
  const takes = (side: 'bc' | 'dv', fm: FieldMapping): boolean => {
    if (fm.constant !== null) return true;
    return fm.direction === 'Bidirectional' ? wins.get(fm) === side : sides[side] || full;
  };
  const toDv = computePatch(mapping.fields, 'ToIntegrationTable', bc.fields, dv.fields, {
    include: (fm) => takes('bc', fm),
    lookups,
  });
  const toBc = computePatch(mapping.fields, 'FromIntegrationTable', dv.fields, bc.fields, {
    include: (fm) => takes('dv', fm),
    lookups,
  });
  const plan = written(toDv, toBc);
  return plan.kind === 'write' && conflicts.length > 0
    ? { ...plan, conflicts: conflicts.map((f) => f.bcField) }
    : plan;
}

/** Decides what one coupled record needs. Pure: reads nothing, writes nothing. */
export function planRecord(input: PlanInput): RecordPlan {
  const { mapping, coupling, bc, dv, mode, lookups } = input;
  if (mode.kind === 'forced') {
    const to = mode.pass === 'ToIntegrationTable';
    const patch = to
      ? computePatch(mapping.fields, mode.pass, bc.fields, dv.fields, { lookups })
      : computePatch(mapping.fields, mode.pass, dv.fields, bc.fields, { lookups });
    return to ? written(patch, empty()) : written(empty(), patch);
  }
  if (mapping.direction === 'Bidirectional') return merge(input, mode.full);
  // One-direction mapping: only the source side's changes matter; the other side is overwritten.
  const pass: Pass = mapping.direction;
  const sides = modifiedSides(coupling, bc, dv);
  if (!mode.full && !(pass === 'ToIntegrationTable' ? sides.bc : sides.dv)) return { kind: 'not-modified' };
  return pass === 'ToIntegrationTable'
    ? written(computePatch(mapping.fields, pass, bc.fields, dv.fields, { lookups }), empty())
    : written(empty(), computePatch(mapping.fields, pass, dv.fields, bc.fields, { lookups }));
}
