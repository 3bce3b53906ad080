/**
 * What core stores, as an adapter sees it: the MongoDB database core keeps its state in. The sandbox
 * connector keeps its demo tables in the same database, so the composition root hands it the database
 * and it uses these types and helpers through this port instead of reaching into core/store.
 */
export type { AnyBulkWriteOperation, Collection, Db, Document, Filter } from 'mongodb';
export { ensureCollection } from '../store/collections.js';
export { clampLimit, isDuplicateKeyError, parseDoc } from '../store/documents.js';
export { writeErrorIndexes } from '../store/write-errors.js';
