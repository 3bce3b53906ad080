import type { MatchAttempt, MatchOutcome, NearCandidate } from '../../core/match/outcome.js';
import type { NearApproval } from '../../core/match/run-documents.js';
import { InputId } from '../inputs.js';
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

/** A row's near candidates as the card shows them (issue 15). */
export interface NearView {
  /** One line per candidate, best first: the choices of a manager's picker, or plain lines for others. */
  near: Array<{ text: string; dvId: string }>;
  showNearLines: boolean;
  /** A manager may pick one and couple it: a radio list (its id `near:<rowId>`) and one button. */
  nearChoice: boolean;
  nearInputId: string;
  nearDefault: string;
}

export const nearText = (c: NearCandidate): string =>
  `Near match: ${c.dvName || c.dvId}, ${c.score}% (${c.reasons.join('; ')})`;

/**
 * The near candidates of a row. One picker and one button per row rather than a button per candidate:
 * 25 rows of three buttons (each with its fallback and seal) would pass Teams' 80 KB card limit. Once a
 * manager coupled one, only that one is listed, saying so.
 */
export function nearView(
  rowId: string,
  o: MatchOutcome,
  approved: NearApproval | undefined,
  canCouple: boolean,
): NearView {
  const candidates = o.kind === 'noMatch' || o.kind === 'wouldCreate' ? (o.near ?? []) : [];
  const near = approved
    ? [
        {
          text: `Coupled to its near match ${approved.dvName || approved.dvId} by ${approved.by.name}`,
          dvId: approved.dvId,
        },
      ]
    : candidates.map((c) => ({ text: nearText(c), dvId: c.dvId }));
  const nearChoice = canCouple && !approved && near.length > 0;
  return {
    near,
    showNearLines: near.length > 0 && !nearChoice,
    nearChoice,
    nearInputId: `${InputId.nearPrefix}${rowId}`,
    nearDefault: near[0]?.dvId ?? '',
  };
}
