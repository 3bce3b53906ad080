import { z } from 'zod';
import { findServedMapping } from '../views/mapping-ref.js';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';
import { answerWithPreview } from './preview-answer.js';

/** `uncouple all customers preview`: how many couplings Delete Couplings would remove (manager). */
export const uncoupleAllPreview = defineCommand({
  patterns: ['uncouple all {mapping:mapping} preview'],
  args: z.object({ mapping: MappingRef }),
  example: 'uncouple all customers preview',
  async handle({ mapping }, turn, services) {
    const m = await findServedMapping(mapping, services);
    return answerWithPreview(turn, services, m.name, services.preview.previewUncoupleAll(turn.actor, m.name));
  },
});
