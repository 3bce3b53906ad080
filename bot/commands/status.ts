import { z } from 'zod';
import type { Job } from '../../core/model/job.js';
import { BC_ENTITY_WORDS, type BcTable } from '../../core/model/tables.js';
import type { BotServices } from '../services.js';
import { card } from '../views/cards.js';
import { runsCharts } from '../views/job-charts.js';
import { findMapping } from '../views/mapping-ref.js';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';

/** Jobs the card lists, newest first. */
const LISTED = 10;

/** The word `sync <word> modified` takes for a table ("customer", "salesperson"). */
const wordFor = (table: BcTable): string =>
  Object.entries(BC_ENTITY_WORDS).find(([, t]) => t === table)?.[0] ?? table.toLowerCase();

/** Interrupted jobs are re-run with Synchronize Modified Records; what they did is never applied twice. */
async function interruptedNote(jobs: readonly Job[], services: BotServices): Promise<string> {
  const names = [...new Set(jobs.filter((j) => j.status === 'Interrupted').map((j) => j.mapping))];
  if (names.length === 0) return '';
  const commands: string[] = [];
  for (const name of names) {
    const m = await services.mappings.get(name).catch(() => undefined);
    if (m) commands.push(`sync ${wordFor(m.bcTable)} modified`);
  }
  if (commands.length === 0) return '';
  return (
    'Interrupted: Coupling Assistant stopped while the job was running. What it did before is kept; ' +
    `re-run it with ${commands.join(', ')} — changes already applied are not applied twice.`
  );
}

/**
 * `status [customers]`: Integration Synchronization Jobs with their counters and who started them, and
 * each mapping's last runs charted (inserted / modified / failed).
 */
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
      note: await interruptedNote(jobs, services),
      charts: await runsCharts(services, m?.name),
    });
  },
});
