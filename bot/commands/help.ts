import { z } from 'zod';
import { card } from '../views/cards.js';
import { defineCommand } from './command.js';

export const help = defineCommand({
  patterns: ['help', 'commands', '?'],
  args: z.object({}),
  example: 'help',
  async handle(_args, turn, services) {
    return card('help', {
      sandbox: services.connectorsKind === 'sandbox',
      isManager: services.roles.isManager(turn.actor),
    });
  },
});
