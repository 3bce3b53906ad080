import { pino, type Logger } from 'pino';
import { redactDeep, scrubString } from './log-redaction.js';

export type { Logger };

/**
 * JSON lines on stdout (or `destination`). Every logged object, every child logger's bindings and every
 * message pass through redactDeep/scrubString (log-redaction.ts): secrets at any depth, in headers, in
 * connection strings and in error messages never reach a line.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const logger = pino(
    {
      level,
      base: { app: 'coupling-assistant' },
      formatters: {
        log: (obj) => redactDeep(obj) as Record<string, unknown>,
        bindings: (bindings) => redactDeep(bindings) as Record<string, unknown>,
      },
      serializers: {
        msg: (msg: unknown) => (typeof msg === 'string' ? scrubString(msg) : msg),
        // formatters.log already turned errors into redacted plain objects (with their type and stack).
        err: (err: unknown) => err,
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream | undefined,
  );
  // pino applies formatters.bindings to the root's bindings only; children (every turn's logger) inherit
  // this `child`, so their bindings are redacted too.
  const child = logger.child;
  logger.child = function (this: Logger, bindings: Record<string, unknown>, options?: unknown) {
    return child.call(this, redactDeep(bindings) as Record<string, unknown>, options as never);
  } as typeof logger.child;
  return logger;
}
