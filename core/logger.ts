import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  'password',
  'secret',
  'token',
  'authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  '*.MicrosoftAppPassword',
  '*.AZURE_CLIENT_SECRET',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
];

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
  return pino(
    {
      level,
      base: { app: 'coupling-assistant' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream as pino.DestinationStream | undefined,
  );
}
