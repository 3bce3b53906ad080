import { normalise } from './groups.js';
import {
  runMatch,
  type CandidateFinder,
  type FinderFactory,
  type MatchInput,
  type MatchResult,
} from './run-match.js';

/** Compares every Dataverse row with the BC record's values, field by field. */
const scanFinder: FinderFactory = (groups, dv): CandidateFinder => {
  return (gi, values) => {
    const group = groups[gi];
    if (!group) return [];
    const found: number[] = [];
    dv.forEach((row, i) => {
      const equal = group.fields.every(
        (f, k) => values[k] === null || normalise(row.fields[f.dvField], f.caseSensitive) === values[k],
      );
      if (equal) found.push(i);
    });
    return found;
  };
};

/**
 * The straightforward reference: a nested loop. Used only by the benchmark (as the baseline) and by the
 * property test that checks the hash join gives identical results. Never use it for real runs.
 */
export function nestedLoopMatch(input: MatchInput): MatchResult {
  return runMatch(input, scanFinder);
}
