/**
 * Domain errors with stable codes (style.md §7). The bot maps them to a card; callers never match on
 * message strings. Messages are written for the person who reads them in Teams.
 */
export const ErrorCode = Object.freeze({
  NotFound: 'NOT_FOUND',
  InvalidInput: 'INVALID_INPUT',
  Forbidden: 'FORBIDDEN',
  AlreadyCoupled: 'ALREADY_COUPLED',
  NotCoupled: 'NOT_COUPLED',
  OutsideFilter: 'OUTSIDE_FILTER',
  NotAllowedByMapping: 'NOT_ALLOWED_BY_MAPPING',
  Conflict: 'CONFLICT',
  StaleState: 'STALE_STATE',
  AlreadyDecided: 'ALREADY_DECIDED',
  Expired: 'EXPIRED',
  StoreUnavailable: 'STORE_UNAVAILABLE',
  ConnectorFailed: 'CONNECTOR_FAILED',
  SandboxOnly: 'SANDBOX_ONLY',
  NoMatchCriteria: 'NO_MATCH_CRITERIA',
  RateLimited: 'RATE_LIMITED',
  MappingUnavailable: 'MAPPING_UNAVAILABLE',
  AlreadyRunning: 'ALREADY_RUNNING',
} as const);

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
