import type { CancelRequest } from '../model/job.js';

/**
 * Thrown by a runner at a chunk boundary when someone asked its job to stop. Not a failure: the
 * runner catches it and ends the job Cancelled with what it applied so far.
 */
export class JobCancelled extends Error {
  override readonly name = 'JobCancelled';
  constructor(readonly request: CancelRequest) {
    super(`Cancelled by ${request.byName}`);
  }
}

export const isJobCancelled = (e: unknown): e is JobCancelled => e instanceof JobCancelled;

/** "Cancelled by Ada at 2026-12-07 15:04 UTC." — the first sentence of a Cancelled job's message. */
export function cancelledMessage(request: CancelRequest, done: string): string {
  const at = request.at.toISOString().slice(0, 16).replace('T', ' ');
  return `Cancelled by ${request.byName || request.byId} at ${at} UTC. ${done}`.trim();
}
