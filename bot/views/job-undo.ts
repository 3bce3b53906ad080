import type { UndoAnswer } from '../../core/undo/undo-service.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Reply } from '../reply.js';
import type { TurnRequest } from '../turn.js';
import { outcome } from './cards.js';

const when = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Words an undo: what was undone, what was left and why, and the Undo job (which can be undone too). */
export function undoAnswerReply(turn: TurnRequest, services: { clock: Clock }, answer: UndoAnswer): Reply {
  const { job } = answer;
  const title = `Undo: ${job.type} of ${job.mapping}`;
  if (answer.kind === 'already') {
    const u = job.undone;
    return outcome(turn, services, {
      title,
      lines: [
        u
          ? `Job ${job.id} was already undone by ${u.byName || u.byId} at ${when(u.at)}; nothing was changed.`
          : `Job ${job.id} was already undone; nothing was changed.`,
        ...(u?.undoJobId ? [`The undo was job ${u.undoJobId}; type status to see it.`] : []),
      ],
      tone: 'info',
    });
  }
  const { undoJob, undone, left, omitted } = answer;
  const lines = [undoJob.message];
  if (undone.length > 0) lines.push('Undone:', ...undone.map((l) => `• ${l}`));
  if (left.length > 0) lines.push('Not undone:', ...left.map((l) => `• ${l}`));
  if (omitted > 0) lines.push(`…and ${omitted} more; type status to see the counters of job ${undoJob.id}.`);
  return outcome(turn, services, {
    title,
    lines,
    tone: left.length === 0 && omitted === 0 ? 'success' : undone.length === 0 ? 'warning' : 'info',
    undoJobId: undoJob.id,
  });
}
