import { ErrorCode, isDomainError } from '../../core/errors.js';
import type { ApplyHooks } from '../../core/match/apply-run.js';
import type { ApplyOutcome } from '../../core/match/match-service.js';
import type { MatchRun } from '../../core/match/run-documents.js';
import { textReply, type Replies } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { answerInTime } from './answer-in-time.js';
import { updateCopies } from './card-copies.js';
import { resultsCard } from './match-cards.js';
import { applyProgress } from './apply-progress.js';
import { synchronizeAfterCoupling } from './sync-after.js';

/** A decision that was made here, or one that came too late (someone decided first, or it expired). */
type Decided = { kind: 'decided'; applied?: ApplyOutcome } | { kind: 'tooLate'; message: string };

const TOO_LATE: ReadonlySet<string> = new Set([ErrorCode.AlreadyDecided, ErrorCode.Expired]);
/** Copies are refreshed by the one who was too late only once the run reached its final state. */
const FINAL: ReadonlySet<MatchRun['status']> = new Set(['Approved', 'Rejected', 'Expired', 'Failed']);

async function attempt(work: () => Promise<ApplyOutcome | MatchRun>): Promise<Decided> {
  try {
    const result = await work();
    return 'jobId' in result && 'coupled' in result
      ? { kind: 'decided', applied: result }
      : { kind: 'decided' };
  } catch (e) {
    if (isDomainError(e) && TOO_LATE.has(e.code)) return { kind: 'tooLate', message: e.message };
    throw e;
  }
}

/**
 * Approve all / Approve selected / Reject. Core checks the role and decides compare-and-set, so of any
 * number of clicks one wins. The clicked card becomes the decided card; every other copy is updated in
 * place; whoever was too late sees the decided card and "already approved by X at T". A refusal for
 * anything else (not a manager, forged rows) is core's message on the error card, and nothing changed.
 */
export function decideRun(
  turn: TurnRequest,
  services: BotServices,
  runId: string,
  decide: (hooks: ApplyHooks) => Promise<ApplyOutcome | MatchRun>,
): Promise<Replies> {
  const progress = applyProgress(turn, services, 'Applying the decision on the match run…');
  return answerInTime(turn, services, {
    // The progress updates stop before the result replaces the card.
    work: attempt(() => decide(progress.hooks)).finally(() => progress.stop()),
    progress: () => progress.card(),
    async done(decided) {
      const card = await resultsCard(services, runId, { canDecide: services.roles.isManager(turn.actor) });
      return decided.kind === 'tooLate' ? [card, textReply(decided.message)] : [card];
    },
    async after(decided, shownAs) {
      const skip = { conversationId: turn.actor.conversationId, activityId: shownAs };
      if (decided.kind === 'decided' || FINAL.has((await services.match.service.getRun(runId)).status))
        await updateCopies(services, runId, skip, turn.logger);
      if (decided.kind !== 'decided' || !decided.applied) return;
      const report = await synchronizeAfterCoupling(services, turn.actor, decided.applied);
      const conversationId = turn.actor.conversationId;
      if (report && conversationId) await services.match.messenger?.send(conversationId, textReply(report));
    },
  });
}
