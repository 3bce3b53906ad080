import { z } from 'zod';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { bcLabel, dvLabel } from '../../core/coupling/labels.js';
import { outcome } from '../views/cards.js';
import { AnyEntity, Pairs, RecordKey } from './args.js';
import { defineCommand } from './command.js';
import { fieldLines, sandboxOf } from './sandbox-guard.js';

/**
 * `sandbox edit customer 10000 phone="+1 425 555 0100"` (BC, by number) or
 * `sandbox edit account "Adatum Corporation" telephone1="…"` (Dataverse, by id or exact name).
 */
export const sandboxEdit = defineCommand({
  patterns: ['sandbox edit {entity:entity} {key:key} {fields:pairs}'],
  args: z.object({ entity: AnyEntity, key: RecordKey, fields: Pairs }),
  example: 'sandbox edit customer 10000 phone="+1 425 555 0100"',
  async handle({ entity, key, fields }, turn, services) {
    const sandbox = sandboxOf(services);
    const by = { title: 'Sandbox edit', tone: 'info' as const };
    if ('number' in key && entity.bc) {
      const record = await sandbox.editBc(turn.actor, entity.bc, key.number, fields);
      const lines = [`${bcLabel(record)} changed in Business Central.`, ...fieldLines(fields)];
      return outcome(turn, services, { ...by, lines });
    }
    if (!('number' in key) && entity.dv) {
      const row = await sandbox.editDv(turn.actor, entity.dv, 'id' in key ? key.id : key.name, fields);
      return outcome(turn, services, {
        ...by,
        lines: [`${dvLabel(row)} changed in Dataverse.`, ...fieldLines(fields)],
      });
    }
    throw new DomainError(
      ErrorCode.InvalidInput,
      entity.bc
        ? 'Business Central records are picked by number: sandbox edit customer 10000 phone="+1 425 555 0100".'
        : 'Dataverse rows are picked by id or exact name in quotes: sandbox edit account "Adatum Corporation" telephone1="…".',
    );
  },
});
