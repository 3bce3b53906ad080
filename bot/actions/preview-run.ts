import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { RunInProgressError } from '../../core/jobs/run-lock.js';
import { alreadyRunning } from '../commands/sync-mapping.js';
import { defineAction } from './action.js';
import { runUncoupleAll } from './uncouple-all-confirm.js';

/**
 * Run for real on a preview card. Core checks the manager role, that the preview exists and was not run
 * yet, and that nothing it depended on changed (saying what did); then the normal run starts: the same
 * run lock, job and running card as `sync customers all` or `uncouple all customers`.
 */
export const previewRunAction = defineAction({
  verb: Verb.previewRun,
  data: z.object({ previewId: z.string().uuid() }),
  async handle({ previewId }, turn, services) {
    const p = await services.preview.claim(turn.actor, previewId);
    const full = p.kind === 'all';
    const label = `${full ? 'Full synchronization' : 'Synchronize Modified Records'} · ${p.settings.direction}`;
    try {
      if (p.kind === 'uncouple-all') return await runUncoupleAll(p.mapping, turn, services);
      return await services.backgroundJobs.start(turn, label, (options) =>
        full
          ? services.sync.synchronizeAll(turn.actor, p.mapping, options)
          : services.sync.synchronizeModified(turn.actor, p.mapping, options),
      );
    } catch (e) {
      // Nothing started: the preview stays runnable once the mapping is free.
      await services.preview.release(p.id);
      if (e instanceof RunInProgressError) return alreadyRunning(e, turn);
      throw e;
    }
  },
});
