import {
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type TopologyDescription,
} from 'mongodb';
import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import { asStoreUnavailable, STORE_UNAVAILABLE_MESSAGE } from '../../../core/store/store-errors.js';

const serverError = (code: number) => new MongoServerError({ message: `server said ${code}`, code, ok: 0 });

describe('asStoreUnavailable: the one rule for "the database cannot be reached"', () => {
  it.each([
    [
      'no server selectable in time',
      new MongoServerSelectionError('connect ECONNREFUSED', {} as TopologyDescription),
    ],
    ['a connection reset', new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')],
    ['a network timeout', new MongoNetworkTimeoutError('timed out')],
    ['a client that never connected', new MongoNotConnectedError('not connected')],
    ['a closed topology', new MongoTopologyClosedError()],
    ['a replica set without a primary', serverError(10107)],
    ['a server shutting down', serverError(91)],
    ['a driver error wrapped by another layer', new Error('lookup failed', { cause: serverError(189) })],
  ])('%s → StoreUnavailable with the retry message', (_name, err) => {
    const mapped = asStoreUnavailable(err);
    expect(mapped?.code).toBe(ErrorCode.StoreUnavailable);
    expect(mapped?.message).toBe(STORE_UNAVAILABLE_MESSAGE);
    expect(mapped?.cause).toBeInstanceOf(Error);
  });

  it.each([
    ['a duplicate key (a real answer from a working server)', serverError(11000)],
    ['a programming error', new TypeError('x is undefined')],
    ['a domain refusal', new DomainError(ErrorCode.NotFound, 'There is no Customer 99999.')],
    ['something that is not an error', 'boom'],
    ['nothing', undefined],
  ])('%s → not a store outage', (_name, err) => {
    expect(asStoreUnavailable(err)).toBeUndefined();
  });

  it('keeps the driver error as the cause, for the log', () => {
    const inner = serverError(189);
    expect(asStoreUnavailable(new Error('lookup failed', { cause: inner }))?.cause).toBe(inner);
  });

  it('keeps a StoreUnavailable raised by core as it is', () => {
    const err = new DomainError(ErrorCode.StoreUnavailable, 'Cannot reach MongoDB at mongodb://db:27017.');
    expect(asStoreUnavailable(err)).toBe(err);
  });
});
