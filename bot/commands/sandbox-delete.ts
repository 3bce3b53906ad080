import { z } from 'zod';
import { dvLabel } from '../../core/coupling/labels.js';
import { outcome } from '../views/cards.js';
import { DvTable, Guid } from './args.js';
import { defineCommand } from './command.js';
import { sandboxOf } from './sandbox-guard.js';

/** `sandbox delete account <id>`: as if someone deleted the row in Dataverse (its coupling stays). */
export const sandboxDelete = defineCommand({
  patterns: ['sandbox delete {table:dv} {id:guid}'],
  args: z.object({ table: DvTable, id: Guid }),
  example: 'sandbox delete account 8f4c2a61-3b7e-4d09-9c15-2e6a7b1d5f30',
  async handle({ table, id }, turn, services) {
    const row = await sandboxOf(services).deleteDv(turn.actor, table, id);
    return outcome(turn, services, {
      title: 'Sandbox delete',
      lines: [
        `${dvLabel(row)} deleted in Dataverse. A coupling to it, if any, stays: a deletion conflict to find.`,
      ],
      tone: 'info',
    });
  },
});
