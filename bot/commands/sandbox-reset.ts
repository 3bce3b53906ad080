import { z } from 'zod';
import { outcome } from '../views/cards.js';
import { defineCommand } from './command.js';
import { sandboxOf } from './sandbox-guard.js';

/** `sandbox reset`: the demo data as first seeded, nothing coupled. */
export const sandboxReset = defineCommand({
  patterns: ['sandbox reset'],
  args: z.object({}),
  example: 'sandbox reset',
  async handle(_args, turn, services) {
    const { couplingsRemoved } = await sandboxOf(services).reset(turn.actor);
    return outcome(turn, services, {
      title: 'Sandbox reset',
      lines: [
        `The demo data is back as seeded; ${couplingsRemoved} coupling${couplingsRemoved === 1 ? '' : 's'} removed.`,
      ],
      tone: 'info',
    });
  },
});
