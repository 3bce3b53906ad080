import type { FieldMapping } from '../model/mapping.js';
import type { FieldValue, Fields } from '../model/record.js';
import { lookupOf, NO_LOOKUPS, type LookupValues } from './lookups.js';
import type { Pass } from './pass.js';
import { fitForTarget, parseConstant, sameValue, type Translated } from './values.js';

export type { Pass };
export type Side = 'bc' | 'dv';

/** A field a synchronization changed (or would change): old → new on the written side. */
export interface FieldChange {
  bcField: string;
  dvField: string;
  /** The side that receives the value. */
  side: Side;
  old: FieldValue;
  new: FieldValue;
}

/** What one pass writes to one record: the patch, the changes for the result card, per-field errors. */
export interface Patch {
  fields: Fields;
  changes: FieldChange[];
  errors: string[];
  /** Mappings whose missing coupling is all that stops this record (BC's dependency: retried next run). */
  waitingFor: string[];
  /** Fields left as they are on purpose, with the reason (an uncoupled salesperson): not failures. */
  notes: string[];
}

export const targetSide = (pass: Pass): Side => (pass === 'ToIntegrationTable' ? 'dv' : 'bc');

/** Source and target field names of a field mapping in a pass. */
export function fieldNames(fm: FieldMapping, pass: Pass): { source: string; target: string } {
  return pass === 'ToIntegrationTable'
    ? { source: fm.bcField, target: fm.dvField }
    : { source: fm.dvField, target: fm.bcField };
}

/** An enabled field mapping takes part in a pass when its own direction allows that flow. */
export const appliesIn = (fm: FieldMapping, pass: Pass): boolean =>
  fm.status === 'Enabled' && (fm.direction === 'Bidirectional' || fm.direction === pass);

/** A constant is written, never read back: it can neither change on a side nor conflict. */
export const isConstant = (fm: FieldMapping): boolean => fm.constant !== null;

/**
 * The value the target column receives from `source` in `pass`, or why it cannot. A lookup column
 * (core/sync/lookups.ts) stands for a related BC record: its code gets the BC side's rules
 * (transformation, length) and crosses to Dataverse as the coupled row's id, and back as the code.
 */
export function valueFor(
  fm: FieldMapping,
  pass: Pass,
  source: Fields,
  targetCurrent: FieldValue | undefined,
  lookups: LookupValues = NO_LOOKUPS,
): Translated {
  const names = fieldNames(fm, pass);
  const raw = fm.constant !== null ? parseConstant(fm.constant) : (source[names.source] ?? null);
  if (!lookupOf(fm)) return fitForTarget(raw, fm, targetCurrent, names.source, names.target);
  if (pass === 'ToIntegrationTable') {
    const code = fitForTarget(raw, fm, null, names.source, names.target);
    return code.ok ? lookups.translate(fm, pass, code.value) : code;
  }
  const code = lookups.translate(fm, pass, raw);
  return code.ok === true ? fitForTarget(code.value, fm, targetCurrent, names.source, names.target) : code;
}

export interface PatchOptions {
  /** Narrows the fields, e.g. to the fields a merge lets this side win. */
  include?: (fm: FieldMapping) => boolean;
  /** Lookup values read ahead for these records; needed when a lookup column holds a value. */
  lookups?: LookupValues;
}

/**
 * The patch a pass writes: every enabled field flowing this way (and passing `options.include`) whose
 * value differs from the target's current one. With `target` null the record is new: every non-blank
 * value goes in. Every transfer — synchronization, Create New, match's Create New, Restore Records —
 * goes through here, so lookups are translated on all of them.
 * A value that cannot be written is an error of the record, never a partial write.
 */
export function computePatch(
  mappings: readonly FieldMapping[],
  pass: Pass,
  source: Fields,
  target: Fields | null,
  options: PatchOptions = {},
): Patch {
  const { include = () => true, lookups = NO_LOOKUPS } = options;
  const patch: Patch = { fields: {}, changes: [], errors: [], waitingFor: [], notes: [] };
  for (const fm of mappings) {
    if (!appliesIn(fm, pass) || !include(fm)) continue;
    const { target: targetField } = fieldNames(fm, pass);
    const current = target === null ? null : (target[targetField] ?? null);
    const next = valueFor(fm, pass, source, current, lookups);
    if (next.ok === 'keep') {
      if (next.note !== null) patch.notes.push(next.note);
      continue;
    }
    if (!next.ok) {
      patch.errors.push(next.error);
      if (next.waitingFor && !patch.waitingFor.includes(next.waitingFor))
        patch.waitingFor.push(next.waitingFor);
      continue;
    }
    if (sameValue(next.value, current)) continue;
    patch.fields[targetField] = next.value;
    patch.changes.push({
      bcField: fm.bcField,
      dvField: fm.dvField,
      side: targetSide(pass),
      old: current,
      new: next.value,
    });
  }
  return patch;
}

/** True when a pass would write nothing and had nothing to complain about. */
export const isEmptyPatch = (p: Patch): boolean => p.changes.length === 0 && p.errors.length === 0;
