import { z } from 'zod';
import { UpdateConflictResolution } from '../../core/model/mapping.js';
import { findMapping } from '../views/mapping-ref.js';
import { mappingChanged } from '../views/mapping-changed.js';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';

/** `mapping customers update-conflicts none|send|get`: Resolve Update Conflicts (manager only; core decides). */
export const mappingUpdateConflicts = defineCommand({
  patterns: ['mapping {mapping:mapping} update-conflicts {resolution:updconf}'],
  args: z.object({ mapping: MappingRef, resolution: UpdateConflictResolution }),
  example: 'mapping customers update-conflicts send',
  async handle({ mapping, resolution }, turn, services) {
    const { name } = await findMapping(mapping, services);
    const updated = await services.mappings.setConflictResolution(turn.actor, name, { update: resolution });
    return mappingChanged(
      `Table mapping ${updated.name}: Resolve Update Conflicts set to ${updated.updateConflictResolution}`,
      updated,
      turn,
      services,
    );
  },
});
