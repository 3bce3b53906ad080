import { updateConflictsCommand } from '../mappings/setting-commands.js';
import type { Coupling, SyncedFieldValue } from '../model/coupling.js';
import type { FieldMapping, IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord, DvRow, Fields } from '../model/record.js';
import { isConstant, valueFor, type Pass } from './fields.js';
import { NO_LOOKUPS, type LookupValues } from './lookups.js';
import { sameValue } from './values.js';

/** What Synchronize Now can do: Send, Get, or Merge (domain.md §3). */
export type SyncOption = 'ToIntegrationTable' | 'FromIntegrationTable' | 'Bidirectional';

export interface Modified {
  bc: boolean;
  dv: boolean;
}

type SyncStamps = Pick<Coupling, 'lastSyncedBcModifiedOn' | 'lastSyncedDvModifiedOn'>;

const after = (at: Date, since: Date | null): boolean => since === null || at.getTime() > since.getTime();

/** A side is modified when its modified-on is later than the one the last synchronization stored. */
export function modifiedSides(
  c: SyncStamps,
  bc: Pick<BcRecord, 'modifiedOn'>,
  dv: Pick<DvRow, 'modifiedOn'>,
): Modified {
  return {
    bc: after(bc.modifiedOn, c.lastSyncedBcModifiedOn),
    dv: after(dv.modifiedOn, c.lastSyncedDvModifiedOn),
  };
}

/** Per mapped field: changed on each side since the last synchronization, and whether the sides differ now. */
export interface FieldState {
  fm: FieldMapping;
  bcChanged: boolean;
  dvChanged: boolean;
  differs: boolean;
}

/** The fields whose values are compared across sides: enabled and not constants. */
const comparable = new WeakMap<readonly FieldMapping[], FieldMapping[]>();
export function comparableFields(fields: readonly FieldMapping[]): FieldMapping[] {
  let list = comparable.get(fields);
  if (!list)
    comparable.set(fields, (list = fields.filter((fm) => fm.status === 'Enabled' && !isConstant(fm))));
  return list;
}

const naturalPass = (fm: FieldMapping): Pass =>
  fm.direction === 'FromIntegrationTable' ? 'FromIntegrationTable' : 'ToIntegrationTable';

/** True when writing this field in its natural direction would change the target. */
function differs(fm: FieldMapping, bc: Fields, dv: Fields, lookups: LookupValues): boolean {
  const pass = naturalPass(fm);
  const [source, target, field] = pass === 'ToIntegrationTable' ? [bc, dv, fm.dvField] : [dv, bc, fm.bcField];
  const v = valueFor(fm, pass, source, target[field], lookups);
  // A value left as it is on purpose (an uncoupled salesperson) is no difference to act on.
  if (v.ok === 'keep') return false;
  return !v.ok || !sameValue(v.value, target[field]);
}

/**
 * With a snapshot of the last synchronized values a field "changed on a side" only when its value
 * there is no longer the synchronized one; without one (never synchronized) every field of a modified
 * side counts as changed — BC's timestamp rule.
 */
export function fieldStates(
  fields: readonly FieldMapping[],
  coupling: Pick<Coupling, 'lastSyncedValues'>,
  bc: Fields,
  dv: Fields,
  modified: Modified,
  lookups: LookupValues = NO_LOOKUPS,
): FieldState[] {
  const stored = coupling.lastSyncedValues ?? [];
  return comparableFields(fields).map((fm, i) => {
    // Snapshots are written in field order, so the entry is almost always at the same index.
    const same = (s: SyncedFieldValue | undefined) =>
      s !== undefined && s.bcField === fm.bcField && s.dvField === fm.dvField;
    const last = same(stored[i]) ? stored[i] : stored.find(same);
    return {
      fm,
      bcChanged: modified.bc && (last === undefined || !sameValue(bc[fm.bcField], last.bc)),
      dvChanged: modified.dv && (last === undefined || !sameValue(dv[fm.dvField], last.dv)),
      differs: differs(fm, bc, dv, lookups),
    };
  });
}

/** An update conflict: a bidirectional field changed on both sides and the sides now disagree. */
export const conflictingFields = (states: readonly FieldState[]): FieldMapping[] =>
  states
    .filter((s) => s.fm.direction === 'Bidirectional' && s.bcChanged && s.dvChanged && s.differs)
    .map((s) => s.fm);

/** The snapshot stored on the coupling after a successful synchronization. */
export function snapshotOf(fields: readonly FieldMapping[], bc: Fields, dv: Fields): SyncedFieldValue[] {
  return comparableFields(fields).map((fm) => ({
    bcField: fm.bcField,
    dvField: fm.dvField,
    bc: bc[fm.bcField] ?? null,
    dv: dv[fm.dvField] ?? null,
  }));
}

/**
 * True when `stored` is exactly the snapshot snapshotOf would build from these values. Compared in
 * place: a full run checks thousands of unchanged records, so nothing is allocated for them.
 */
export function snapshotMatches(
  stored: readonly SyncedFieldValue[] | undefined,
  fields: readonly FieldMapping[],
  bc: Fields,
  dv: Fields,
): boolean {
  const list = comparableFields(fields);
  if (stored === undefined || stored.length !== list.length) return false;
  return list.every((fm, i) => {
    const s = stored[i] as SyncedFieldValue;
    return (
      s.bcField === fm.bcField &&
      s.dvField === fm.dvField &&
      s.bc === (bc[fm.bcField] ?? null) &&
      s.dv === (dv[fm.dvField] ?? null)
    );
  });
}

const fieldList = (fms: readonly FieldMapping[]): string =>
  `${fms.length === 1 ? 'field' : 'fields'} ${fms.map((f) => f.bcField).join(', ')}`;

/** BC's message for a Skipped record, naming the fields and the way out. */
export function conflictMessage(
  mapping: IntegrationTableMapping,
  bcNumber: string,
  fms: readonly FieldMapping[],
): string {
  return (
    `Cannot update ${mapping.bcTable} ${bcNumber} and its ${mapping.dvTable} because the record was changed in ` +
    `both Business Central and Dataverse: ${fieldList(fms)}. Choose which side wins (Synchronize), or set ` +
    `Resolve Update Conflicts on mapping ${mapping.name}: ${updateConflictsCommand(mapping)}.`
  );
}

export interface Recommendation {
  /** Options the direction card offers. */
  options: SyncOption[];
  /** Pre-selected option; null when a person must choose which side wins. */
  recommended: SyncOption | null;
  modified: Modified;
  /** BC names of bidirectional fields changed on both sides. */
  conflictFields: string[];
  reason: string;
}

/** The Synchronize Now choice for one coupled record (domain.md §3). */
export function recommend(
  mapping: IntegrationTableMapping,
  coupling: Coupling,
  bc: BcRecord,
  dv: DvRow,
  lookups: LookupValues = NO_LOOKUPS,
): Recommendation {
  const modified = modifiedSides(coupling, bc, dv);
  const what = `${mapping.bcTable} ${coupling.bcNumber}`;
  if (mapping.direction !== 'Bidirectional') {
    const side = mapping.direction === 'ToIntegrationTable' ? 'to Dataverse' : 'from Dataverse';
    return {
      options: [mapping.direction],
      recommended: mapping.direction,
      modified,
      conflictFields: [],
      reason: `Mapping ${mapping.name} only synchronizes ${side}.`,
    };
  }
  const conflicts = conflictingFields(
    fieldStates(mapping.fields, coupling, bc.fields, dv.fields, modified, lookups),
  );
  if (conflicts.length > 0) {
    const names = conflicts.map((f) => f.bcField);
    return {
      options: ['ToIntegrationTable', 'FromIntegrationTable'],
      recommended: null,
      modified,
      conflictFields: names,
      reason: `${what} was changed in both Business Central and Dataverse (${fieldList(conflicts)}): choose which side wins.`,
    };
  }
  const all: SyncOption[] = ['ToIntegrationTable', 'FromIntegrationTable', 'Bidirectional'];
  const [recommended, reason]: [SyncOption, string] =
    modified.bc && !modified.dv
      ? ['ToIntegrationTable', `${what} was changed in Business Central since the last synchronization.`]
      : modified.dv && !modified.bc
        ? [
            'FromIntegrationTable',
            `The ${mapping.dvTable} coupled to ${what} was changed in Dataverse since the last synchronization.`,
          ]
        : modified.bc
          ? [
              'Bidirectional',
              `${what} was changed on both sides, in different fields: merging keeps both changes.`,
            ]
          : ['Bidirectional', `Nothing was changed since the last synchronization.`];
  return { options: all, recommended, modified, conflictFields: [], reason };
}
