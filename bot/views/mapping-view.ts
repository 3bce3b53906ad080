import { availabilityOf, unavailableText } from '../../core/mappings/availability.js';
import type { IntegrationTableMapping } from '../../core/model/mapping.js';
import type { BotServices } from '../services.js';

/** A mapping as the mapping cards show it: with why this connection cannot serve it, when it cannot. */
export function mappingView(
  m: IntegrationTableMapping,
  services: Pick<BotServices, 'serving'>,
): IntegrationTableMapping & { unavailable: string | null } {
  const a = availabilityOf(services.serving, m);
  return { ...m, unavailable: a.available ? null : unavailableText(m.name, a.reason) };
}
