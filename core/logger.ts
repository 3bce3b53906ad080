import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import { redactDeep, scrubString } from './log-redaction.js';

export type { Logger };

export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * auto: readable lines for a person at a terminal in development; one JSON line per event wherever a
 * machine reads the output (a pipe, a file, a container, a log collector) and always in production.
 */
export function chooseLogFormat(
  format: LogFormat,
  where: { isTTY: boolean; nodeEnv: string },
): 'json' | 'pretty' {
  if (format !== 'auto') return format;
  return where.isTTY && where.nodeEnv !== 'production' ? 'pretty' : 'json';
}

type PrettyFactory = (options: Record<string, unknown>) => NodeJS.WritableStream;

/** pino-pretty is a development dependency: absent from a production install, where JSON is right anyway. */
function prettyStream(destination: NodeJS.WritableStream | undefined): NodeJS.WritableStream | undefined {
  let pretty: PrettyFactory;
  try {
    pretty = createRequire(import.meta.url)('pino-pretty') as PrettyFactory;
  } catch {
    return undefined;
  }
  return pretty({
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,app',
    singleLine: true,
    ...(destination ? { destination } : {}),
  });
}

/**
 * JSON lines on stdout (or `destination`), or readable lines (LOG_FORMAT). Every logged object, every
 * child logger's bindings and every message pass through redactDeep/scrubString (log-redaction.ts):
 * secrets at any depth, in headers, in connection strings and in error messages never reach a line.
 */
export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream,
  options: { format?: LogFormat; nodeEnv?: string } = {},
): Logger {
  const format = chooseLogFormat(options.format ?? 'json', {
    isTTY: (destination ?? process.stdout) === process.stdout && process.stdout.isTTY === true,
    nodeEnv: options.nodeEnv ?? 'development',
  });
  const stream = format === 'pretty' ? (prettyStream(destination) ?? destination) : destination;
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
    stream as pino.DestinationStream | undefined,
  );
  // pino applies formatters.bindings to the root's bindings only; children (every turn's logger) inherit
  // this `child`, so their bindings are redacted too.
  const child = logger.child;
  logger.child = function (this: Logger, bindings: Record<string, unknown>, options?: unknown) {
    return child.call(this, redactDeep(bindings) as Record<string, unknown>, options as never);
  } as typeof logger.child;
  return logger;
}
