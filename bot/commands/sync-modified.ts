import { z } from 'zod';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';
import { startMappingJob } from './sync-mapping.js';

/** `sync customers modified`: Synchronize Modified Records of the whole mapping, as a job. */
export const syncModified = defineCommand({
  patterns: ['sync {mapping:mapping} modified'],
  args: z.object({ mapping: MappingRef }),
  example: 'sync customers modified',
  handle: ({ mapping }, turn, services) => startMappingJob(mapping, false, turn, services),
});
