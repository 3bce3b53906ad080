import { z } from 'zod';
import { findServedMapping } from '../views/mapping-ref.js';
import { BcTable } from './args.js';
import { defineCommand } from './command.js';
import { answerWithPreview } from './preview-answer.js';

/** `sync customers all preview`: what a full synchronization would do, written nowhere (manager, as the run). */
export const syncAllPreview = defineCommand({
  patterns: ['sync {table:bc} all preview'],
  args: z.object({ table: BcTable }),
  example: 'sync customers all preview',
  async handle({ table }, turn, services) {
    const m = await findServedMapping({ table }, services);
    return answerWithPreview(turn, services, m.name, services.preview.previewSync(turn.actor, m.name, true));
  },
});
