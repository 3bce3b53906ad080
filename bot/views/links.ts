import type { BcTable, DvTable } from '../../core/model/tables.js';
import type { BotServices } from '../services.js';

export interface CardLinks {
  bc: string;
  dv: string;
}

/**
 * Open in Business Central / Open in Dataverse for one record, as card data ('' where there is no link:
 * over the sandbox, or a side the card does not show). The URLs themselves come from core's links.
 */
export async function cardLinks(
  services: Pick<BotServices, 'links'>,
  bc: { table: BcTable; number: string } | null,
  dv: { table: DvTable; id: string } | null,
): Promise<CardLinks> {
  const bcUrl = bc ? await services.links.businessCentral(bc.table, bc.number) : null;
  const dvUrl = dv ? services.links.dataverse(dv.table, dv.id) : null;
  return { bc: bcUrl ?? '', dv: dvUrl ?? '' };
}
