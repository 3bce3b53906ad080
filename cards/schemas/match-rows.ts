import type { MatchAttempt, MatchOutcome } from '../../core/match/outcome.js';
import type { Tone } from './common.js';

/**
 * How one match outcome reads on the results card: the proposed row, or why there is none, with the
 * priority group that decided it (domain.md §9: no black box).
 */
export interface MatchRowView {
  bcText: string;
  dvText: string;
  detail: string;
  color: Tone;
  /** Only proposals and Create New rows can be approved. */
  selectable: boolean;
}

function attemptText(a: MatchAttempt): string {
  const result =
    a.result === 'noValues'
      ? 'fields empty'
      : a.result === 'none'
        ? 'no match'
        : a.result === 'several'
          ? `${a.count} matches`
          : `match already coupled${a.takenInRunBy ? ` (proposed for ${a.takenInRunBy})` : ''}`;
  return `Priority ${a.priority}: ${result}`;
}

const attemptsText = (attempts: readonly MatchAttempt[]): string =>
  attempts.length === 0 ? 'No priority group could be tried' : attempts.map(attemptText).join('; ');

export function matchRowView(o: MatchOutcome, dvTable: string): MatchRowView {
  const bcText = `${o.bc.number} ${o.bc.name}`;
  switch (o.kind) {
    case 'proposed':
      return {
        bcText,
        dvText: o.dvName,
        detail: `Priority ${o.priority}: ${o.matchedOn.map((m) => `${m.bcField} = ${m.value}`).join(', ')}`,
        color: 'Good',
        selectable: true,
      };
    case 'wouldCreate':
      return {
        bcText,
        dvText: `New ${dvTable}`,
        detail: attemptsText(o.attempts),
        color: 'Accent',
        selectable: true,
      };
    case 'severalMatches':
      return {
        bcText,
        dvText: `${o.count} matches`,
        detail: attemptsText(o.attempts),
        color: 'Warning',
        selectable: false,
      };
    case 'matchAlreadyCoupled':
      return {
        bcText,
        dvText: 'Match already coupled',
        detail: attemptsText(o.attempts),
        color: 'Warning',
        selectable: false,
      };
    case 'noMatch':
      return {
        bcText,
        dvText: 'No match',
        detail: attemptsText(o.attempts),
        color: 'Attention',
        selectable: false,
      };
    case 'skipped':
      return {
        bcText,
        dvText: 'Skipped',
        detail: o.reason === 'alreadyCoupled' ? 'Already coupled' : 'Outside the table mapping filter',
        color: 'Default',
        selectable: false,
      };
  }
}
