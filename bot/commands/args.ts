import { z } from 'zod';
import { Direction } from '../../core/model/mapping.js';
import { BcTable, DvTable } from '../../core/model/tables.js';
import { BC_NUMBER, GUID } from '../parser/slots.js';

/** zod schemas of the parser's slot values (bot/parser/slots.ts), so handlers get typed arguments. */
export { BcTable, DvTable, Direction };
export const BcNumber = z.string().regex(BC_NUMBER, 'a Business Central number such as 10000');
export const Guid = z.string().regex(GUID, 'a GUID');
export const NumberSelection = z
  .array(z.union([z.object({ number: BcNumber }), z.object({ from: BcNumber, to: BcNumber })]))
  .min(1)
  .max(500);
export type NumberSelection = z.infer<typeof NumberSelection>;
export const MappingRef = z.union([
  z.object({ table: BcTable }),
  z.object({ name: z.string().min(1).max(60) }),
]);
export const RowRef = z.union([z.object({ id: Guid }), z.object({ name: z.string().min(1).max(160) })]);
export const RecordKey = z.union([
  z.object({ id: Guid }),
  z.object({ name: z.string().min(1).max(160) }),
  z.object({ number: BcNumber }),
]);
export type RecordKey = z.infer<typeof RecordKey>;
export const AnyEntity = z.object({ bc: BcTable.optional(), dv: DvTable.optional() });
export const Pairs = z.record(z.string().min(1).max(60), z.string().max(250));
