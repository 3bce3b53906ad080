import { z } from 'zod';
import { previewCard } from '../views/sync-preview.js';
import { findServedMapping } from '../views/mapping-ref.js';
import { BcTable } from './args.js';
import { defineCommand } from './command.js';

/** `sync customers all preview`: what a full synchronization would do, written nowhere (manager, as the run). */
export const syncAllPreview = defineCommand({
  patterns: ['sync {table:bc} all preview'],
  args: z.object({ table: BcTable }),
  example: 'sync customers all preview',
  async handle({ table }, turn, services) {
    const m = await findServedMapping({ table }, services);
    return previewCard(await services.preview.previewSync(turn.actor, m.name, true));
  },
});
