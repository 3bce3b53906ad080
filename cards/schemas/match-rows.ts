import type { MatchAttempt, MatchOutcome, NearCandidate } from '../../core/match/outcome.js';
import type { NearApproval } from '../../core/match/run-documents.js';
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

/** One near candidate under its record: who, how alike and why; `button` when a manager may couple it. */
export interface NearView {
  text: string;
  rowId: string;
  dvId: string;
  button: boolean;
}

export const nearText = (c: NearCandidate): string =>
  `Near match: ${c.dvName || c.dvId}, ${c.score}% (${c.reasons.join('; ')})`;

/**
 * The near candidates of a row (issue 15), best first. Once a manager coupled one, only that one is
 * listed, saying so, and no button is left.
 */
export function nearViews(
  rowId: string,
  o: MatchOutcome,
  approved: NearApproval | undefined,
  canCouple: boolean,
): NearView[] {
  const near = o.kind === 'noMatch' || o.kind === 'wouldCreate' ? (o.near ?? []) : [];
  if (approved) {
    const text = `Coupled to its near match ${approved.dvName || approved.dvId} by ${approved.by.name}`;
    return [{ text, rowId, dvId: approved.dvId, button: false }];
  }
  return near.map((c) => ({ text: nearText(c), rowId, dvId: c.dvId, button: canCouple }));
}
