import { z } from 'zod';
import { DeletionConflictResolution } from '../../core/model/mapping.js';
import { findMapping } from '../views/mapping-ref.js';
import { mappingChanged } from '../views/mapping-changed.js';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';

/** `mapping customers deletion-conflicts none|restore|remove-coupling`: Resolve Deletion Conflicts (manager only). */
export const mappingDeletionConflicts = defineCommand({
  patterns: ['mapping {mapping:mapping} deletion-conflicts {resolution:delconf}'],
  args: z.object({ mapping: MappingRef, resolution: DeletionConflictResolution }),
  example: 'mapping customers deletion-conflicts remove-coupling',
  async handle({ mapping, resolution }, turn, services) {
    const { name } = await findMapping(mapping, services);
    const updated = await services.mappings.setConflictResolution(turn.actor, name, { deletion: resolution });
    return mappingChanged(
      `Table mapping ${updated.name}: Resolve Deletion Conflicts set to ${updated.deletionConflictResolution}`,
      updated,
      turn,
      services,
    );
  },
});
