import { z } from 'zod';
import { GUID } from '../parser/slots.js';
import { MappingName } from './data.js';

/**
 * Card data of the synchronization buttons. Ids are GUID- or ObjectId-shaped strings and nothing
 * else, so an operator object such as {"$ne": null} is refused here, before core (which checks again).
 */
const OBJECT_ID = /^[0-9a-f]{24}$/i;
export const RecordId = z
  .string()
  .refine((v) => GUID.test(v) || OBJECT_ID.test(v), 'a record id (GUID or ObjectId)');
export const ErrorId = z.string().regex(GUID, 'a synchronization error id');
/** The direction input's value; core says which ones exist when it is none of them. */
export const DirectionInput = z.string().min(1).max(60);

export const ErrorData = z.object({ errorId: ErrorId });
export { MappingName };
