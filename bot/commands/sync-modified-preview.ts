import { z } from 'zod';
import { findServedMapping } from '../views/mapping-ref.js';
import { BcTable } from './args.js';
import { defineCommand } from './command.js';
import { answerWithPreview } from './preview-answer.js';

/** `sync customers modified preview`: what Synchronize Modified Records would do, written nowhere. */
export const syncModifiedPreview = defineCommand({
  patterns: ['sync {table:bc} modified preview'],
  args: z.object({ table: BcTable }),
  example: 'sync customers modified preview',
  async handle({ table }, turn, services) {
    const m = await findServedMapping({ table }, services);
    return answerWithPreview(turn, services, m.name, services.preview.previewSync(turn.actor, m.name, false));
  },
});
