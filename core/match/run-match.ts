import { passesFilter } from '../model/filter.js';
import { flowsToDataverse, type IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord, DvRow, FieldValue, Fields } from '../model/record.js';
import { BC_KEY_FIELDS, DV_NAME_FIELDS } from '../model/tables.js';
import type { MatchCriteria } from './criteria-model.js';
import { normalise, priorityGroups, type MatchGroup } from './groups.js';
import {
  countOutcomes,
  MAX_CANDIDATE_IDS,
  type BcRef,
  type MatchAttempt,
  type MatchCounts,
  type MatchOutcome,
} from './outcome.js';

export interface MatchInput {
  mapping: IntegrationTableMapping;
  criteria: MatchCriteria;
  bcRecords: readonly BcRecord[];
  dvRows: readonly DvRow[];
  coupledBcIds: ReadonlySet<string>;
  coupledDvIds: ReadonlySet<string>;
}

export interface MatchResult {
  outcomes: MatchOutcome[];
  counts: MatchCounts;
  groups: MatchGroup[];
}

/**
 * Indexes (ascending) of the eligible Dataverse rows whose fields of group `groupIndex` equal `values`,
 * the BC record's normalised values in the group's field order; null values are ignored.
 */
export type CandidateFinder = (groupIndex: number, values: ReadonlyArray<string | null>) => readonly number[];
export type FinderFactory = (groups: readonly MatchGroup[], dvRows: readonly DvRow[]) => CandidateFinder;

const text = (v: FieldValue | undefined): string => (v === undefined || v === null ? '' : String(v));
const isNull = (v: string | null): boolean => v === null;

/** The record's normalised values in the group's field order (a loop: it runs per record and group). */
function normalisedValues(group: MatchGroup, fields: Fields): Array<string | null> {
  const values = new Array<string | null>(group.fields.length);
  for (let k = 0; k < group.fields.length; k++) {
    const f = group.fields[k] as MatchGroup['fields'][number];
    values[k] = normalise(fields[f.bcField], f.caseSensitive);
  }
  return values;
}

/**
 * BC's Match-Based Coupling decision (domain.md §4), shared by the hash join and the nested-loop
 * reference so that they differ only in how candidates are found. Records are decided in input order and
 * a row proposed for an earlier record counts as coupled for later ones, as when BC couples as it goes.
 */
export function runMatch(input: MatchInput, makeFinder: FinderFactory): MatchResult {
  const { mapping, criteria } = input;
  const groups = priorityGroups(mapping, criteria);
  const dv = input.dvRows.filter((r) => passesFilter(r.fields, mapping.integrationTableFilter));
  const find = makeFinder(groups, dv);
  const takenInRun = new Map<string, string>();
  const canCreate = criteria.createNew && flowsToDataverse(mapping.direction);
  const keys = BC_KEY_FIELDS[mapping.bcTable];
  const dvNameField = DV_NAME_FIELDS[mapping.dvTable];

  const outcomes = input.bcRecords.map((rec): MatchOutcome => {
    const bc: BcRef = { id: rec.id, number: rec.number, name: text(rec.fields[keys.name]) };
    if (input.coupledBcIds.has(rec.id)) return { kind: 'skipped', bc, reason: 'alreadyCoupled' };
    if (!passesFilter(rec.fields, mapping.tableFilter))
      return { kind: 'skipped', bc, reason: 'outsideFilter' };
    const attempts: MatchAttempt[] = [];
    for (let gi = 0; gi < groups.length; gi++) {
      const group = groups[gi] as MatchGroup;
      const values = normalisedValues(group, rec.fields);
      if (values.every(isNull)) {
        attempts.push({ priority: group.priority, result: 'noValues', count: 0, dvIds: [] });
        continue;
      }
      const found = find(gi, values);
      const single = found.length === 1 ? (dv[found[0] as number] as DvRow) : null;
      const takenBy = single ? takenInRun.get(single.id) : undefined;
      if (single && takenBy === undefined && !input.coupledDvIds.has(single.id)) {
        takenInRun.set(single.id, rec.id);
        const matchedOn = group.fields
          .filter((_, k) => values[k] !== null)
          .map((f) => ({
            bcField: f.bcField,
            dvField: f.dvField,
            value: text(rec.fields[f.bcField]).trim(),
          }));
        const dvName = text(single.fields[dvNameField]);
        return {
          kind: 'proposed',
          bc,
          dvId: single.id,
          dvName,
          priority: group.priority,
          matchedOn,
          attempts,
        };
      }
      const dvIds = found.slice(0, MAX_CANDIDATE_IDS).map((i) => (dv[i] as DvRow).id);
      const result = found.length === 0 ? 'none' : found.length > 1 ? 'several' : 'coupled';
      const attempt: MatchAttempt = { priority: group.priority, result, count: found.length, dvIds };
      if (takenBy !== undefined) attempt.takenInRunBy = takenBy;
      attempts.push(attempt);
    }
    return unmatched(bc, attempts, canCreate);
  });
  return { outcomes, counts: countOutcomes(outcomes), groups };
}

/**
 * No group gave a unique uncoupled match. The outcome is named after the highest-priority group that
 * found anything (the strongest criterion's verdict); every attempt stays listed as the "why".
 */
function unmatched(bc: BcRef, attempts: MatchAttempt[], canCreate: boolean): MatchOutcome {
  if (canCreate) return { kind: 'wouldCreate', bc, attempts };
  const first = attempts.find((a) => a.count > 0);
  if (first?.result === 'several') {
    return {
      kind: 'severalMatches',
      bc,
      priority: first.priority,
      count: first.count,
      dvIds: first.dvIds,
      attempts,
    };
  }
  if (first?.result === 'coupled') {
    const dvId = first.dvIds[0] ?? '';
    const taken = first.takenInRunBy === undefined ? {} : { takenInRunBy: first.takenInRunBy };
    return { kind: 'matchAlreadyCoupled', bc, priority: first.priority, dvId, ...taken, attempts };
  }
  return { kind: 'noMatch', bc, attempts };
}
