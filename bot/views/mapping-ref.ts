import { requireAvailable } from '../../core/mappings/availability.js';
import type { IntegrationTableMapping } from '../../core/model/mapping.js';
import type { BcTable } from '../../core/model/tables.js';
import type { MappingRef } from '../parser/mapping-names.js';
import type { BotServices } from '../services.js';

/** "customers" → the mapping of the Customer table; "ITEM-PRODUCT" → that mapping by name (core looks up). */
export function findMapping(ref: MappingRef, services: BotServices): Promise<IntegrationTableMapping> {
  return 'table' in ref ? services.mappings.getForBcTable(ref.table) : services.mappings.get(ref.name);
}

/**
 * The mapping a command is about to act on, refused by core's rule when this connection cannot serve it
 * (before any card is built or any record is read). Views and settings use findMapping.
 */
export async function findServedMapping(
  ref: MappingRef,
  services: BotServices,
): Promise<IntegrationTableMapping> {
  return requireAvailable(services.serving, await findMapping(ref, services));
}

export const servedMappingFor = (table: BcTable, services: BotServices): Promise<IntegrationTableMapping> =>
  findServedMapping({ table }, services);
