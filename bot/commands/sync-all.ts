import { z } from 'zod';
import { BcTable } from './args.js';
import { defineCommand } from './command.js';
import { startMappingJob } from './sync-mapping.js';

/** `sync customers all`: full synchronization of the whole mapping, as a job. */
export const syncAll = defineCommand({
  patterns: ['sync {table:bc} all'],
  args: z.object({ table: BcTable }),
  example: 'sync customers all',
  handle: ({ table }, turn, services) => startMappingJob({ table }, true, turn, services),
});
