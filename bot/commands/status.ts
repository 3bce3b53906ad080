import { z } from 'zod';
import type { Job } from '../../core/model/job.js';
import { card } from '../views/cards.js';
import { findMapping } from '../views/mapping-ref.js';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';

/** Jobs the card lists, newest first. */
const LISTED = 10;

/** Interrupted jobs are re-run with Synchronize Modified Records; what they did is never applied twice. */
function interruptedNote(jobs: readonly Job[]): string {
  const names = [...new Set(jobs.filter((j) => j.status === 'Interrupted').map((j) => j.mapping))];
  if (names.length === 0) return '';
  const commands = names.map((n) => `sync ${n.toLowerCase()} modified`).join(', ');
  return (
    'Interrupted: Coupling Assistant stopped while the job was running. What it did before is kept; ' +
    `re-run it with ${commands} — changes already applied are not applied twice.`
  );
}

/** `status [customers]`: Integration Synchronization Jobs with their counters and who started them. */
export const status = defineCommand({
  patterns: ['status', 'status {mapping:mapping}', 'jobs', 'jobs {mapping:mapping}'],
  args: z.object({ mapping: MappingRef.optional() }),
  example: 'status customers',
  async handle({ mapping }, _turn, services) {
    const m = mapping ? await findMapping(mapping, services) : undefined;
    const jobs = await services.jobs.listRecent({ ...(m ? { mapping: m.name } : {}), limit: LISTED });
    return card('jobs', {
      scope: m ? m.name : 'all table mappings',
      jobs,
      note: interruptedNote(jobs),
    });
  },
});
