import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { DomainError, ErrorCode, isDomainError } from '../errors.js';

/** What a user is told when the database cannot be reached; the request was refused before any write. */
export const STORE_UNAVAILABLE_MESSAGE =
  'The database is not reachable right now; nothing was changed. Please try again in a minute.';

/**
 * Server errors that mean "this server cannot serve you right now" rather than "your request is wrong":
 * a replica set electing a new primary, a server shutting down, a network failure seen by mongos.
 */
const UNAVAILABLE_SERVER_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

function isUnreachable(e: unknown): boolean {
  return (
    e instanceof MongoServerSelectionError ||
    e instanceof MongoNetworkError ||
    e instanceof MongoNotConnectedError ||
    e instanceof MongoTopologyClosedError ||
    e instanceof MongoServerClosedError ||
    (e instanceof MongoServerError && typeof e.code === 'number' && UNAVAILABLE_SERVER_CODES.has(e.code))
  );
}

/**
 * THE rule for "the store is unreachable": the driver's connection-level errors (anywhere in a `cause`
 * chain, in case a layer wrapped them) become one StoreUnavailable DomainError with a message a user can
 * act on; anything else gives undefined. The bot calls this where it maps errors to replies, so core
 * code never has to catch driver errors one by one.
 */
export function asStoreUnavailable(err: unknown): DomainError | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e !== undefined && e !== null; depth++) {
    if (isDomainError(e)) return e.code === ErrorCode.StoreUnavailable ? e : undefined;
    if (isUnreachable(e))
      return new DomainError(ErrorCode.StoreUnavailable, STORE_UNAVAILABLE_MESSAGE, { cause: e });
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
