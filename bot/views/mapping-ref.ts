import type { IntegrationTableMapping } from '../../core/model/mapping.js';
import type { MappingRef } from '../parser/mapping-names.js';
import type { BotServices } from '../services.js';

/** "customers" → the mapping of the Customer table; "ITEM-PRODUCT" → that mapping by name (core looks up). */
export function findMapping(ref: MappingRef, services: BotServices): Promise<IntegrationTableMapping> {
  return 'table' in ref ? services.mappings.getForBcTable(ref.table) : services.mappings.get(ref.name);
}
