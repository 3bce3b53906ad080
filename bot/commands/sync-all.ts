import { z } from 'zod';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';
import { startMappingJob } from './sync-mapping.js';

/** `sync customers all`: full synchronization of the whole mapping, as a job. */
export const syncAll = defineCommand({
  patterns: ['sync {mapping:mapping} all'],
  args: z.object({ mapping: MappingRef }),
  example: 'sync customers all',
  handle: ({ mapping }, turn, services) => startMappingJob(mapping, true, turn, services),
});
