import type { CancelAnswer } from '../../core/jobs/job-control.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Reply } from '../reply.js';
import type { TurnRequest } from '../turn.js';
import { outcome } from './cards.js';

const when = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Words a cancel request's answer: asked now, already being cancelled, or already ended. */
export function cancelAnswerReply(
  turn: TurnRequest,
  services: { clock: Clock },
  answer: CancelAnswer,
): Reply {
  const { job } = answer;
  const title = `Cancel job: ${job.type} of ${job.mapping}`;
  const id = `Job ${job.id}`;
  switch (answer.kind) {
    case 'requested':
      return outcome(turn, services, {
        title,
        lines: [
          `Cancelling… the job stops after the batch it is writing; what it applied stays applied and counted.`,
          `${id} will show Cancelled; type status to see it.`,
        ],
        tone: 'warning',
      });
    case 'already': {
      const r = job.cancelRequest;
      return outcome(turn, services, {
        title,
        lines: [
          r
            ? `Already being cancelled by ${r.byName || r.byId} since ${when(r.at)}.`
            : 'Already being cancelled.',
          `${id} will show Cancelled; type status to see it.`,
        ],
        tone: 'info',
      });
    }
    case 'ended':
      return outcome(turn, services, {
        title,
        lines: [`${id} has already ended: ${job.status}.`, ...(job.message ? [job.message] : [])],
        tone: 'info',
      });
  }
}
