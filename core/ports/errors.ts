import { DomainError, ErrorCode } from '../errors.js';

/** Adapters raise core's coded errors, so the bot answers them the same way whatever the connector. */
export { DomainError, ErrorCode };

/** A write refused because the record changed since it was read (BC 409/412 Request_EntityChanged, Dataverse 412). */
export class ConcurrencyError extends DomainError {
  override readonly name = 'ConcurrencyError';
  constructor(system: 'Business Central' | 'Dataverse', what: string) {
    super(
      ErrorCode.Conflict,
      `${what} was changed in ${system} since it was read; nothing was overwritten. Try again.`,
    );
  }
}

/** A connector call that failed; `message` carries the remote system's own words. */
export class ConnectorError extends DomainError {
  override readonly name = 'ConnectorError';
  constructor(
    readonly system: 'Business Central' | 'Dataverse',
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(ErrorCode.ConnectorFailed, message, options);
  }
}
