import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { outcome } from '../views/cards.js';
import { defineAction } from './action.js';

/** Cancel on any card: replaced by "Cancelled by …", so it cannot be confirmed later by mistake. */
export const cancelAction = defineAction({
  verb: Verb.cancel,
  data: z.object({}),
  async handle(_data, turn, services) {
    return outcome(turn, services, { title: 'Cancelled', lines: ['Nothing was changed.'], tone: 'info' });
  },
});
