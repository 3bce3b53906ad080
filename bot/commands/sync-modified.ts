import { z } from 'zod';
import { BcTable } from './args.js';
import { defineCommand } from './command.js';
import { startMappingJob } from './sync-mapping.js';

/** `sync customers modified`: Synchronize Modified Records of the whole mapping, as a job. */
export const syncModified = defineCommand({
  patterns: ['sync {table:bc} modified'],
  args: z.object({ table: BcTable }),
  example: 'sync customers modified',
  handle: ({ table }, turn, services) => startMappingJob({ table }, false, turn, services),
});
