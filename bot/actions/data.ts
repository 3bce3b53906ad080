import { z } from 'zod';
import { SyncAfterCoupling } from '../../core/model/mapping.js';
import { BcNumber, BcTable, Guid } from '../commands/args.js';

/**
 * Schemas of card action data: strings of the expected shape only, so an object such as
 * {"$ne": null} is refused here — and core validates again before anything reaches a query.
 */
export const MappingName = z.string().regex(/^[A-Z0-9][A-Z0-9 _-]{0,49}$/, 'a table mapping name');
export { BcNumber, BcTable, Guid };

/** The BC record a card is about (record card, Set Up Coupling). */
export const RecordData = z.object({ mapping: MappingName, bcId: Guid, number: BcNumber });
export type RecordData = z.infer<typeof RecordData>;

/** The Set Up Coupling card's input; absent when a client sends no inputs. */
export const SyncAfterInput = SyncAfterCoupling.optional();
