import { DIRECTION_TEXT } from '../../cards/schemas/common.js';
import type { IntegrationTableMapping } from '../../core/model/mapping.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { outcome } from './cards.js';
import { mappingView } from './mapping-view.js';

/** After a mapping change: the settings as they are now, so the outcome reads as a receipt. */
export function mappingChanged(
  title: string,
  m: IntegrationTableMapping,
  turn: TurnRequest,
  services: BotServices,
): Reply {
  const { unavailable } = mappingView(m, services);
  return outcome(turn, services, {
    title,
    lines: [
      `Direction: ${DIRECTION_TEXT[m.direction]}`,
      `Synch. Only Coupled Records: ${m.syncOnlyCoupled ? 'Yes' : 'No'}`,
      `Resolve Update Conflicts: ${m.updateConflictResolution} · Resolve Deletion Conflicts: ${m.deletionConflictResolution}`,
      `Version ${m.version}${m.updatedBy ? `, changed by ${m.updatedBy}` : ''}`,
      ...(unavailable ? [unavailable] : []),
    ],
  });
}
