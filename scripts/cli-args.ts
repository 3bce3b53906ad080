import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * Command-line flags for every script (`npm start`, `npm run package|load|bench|db|playground`), one
 * behaviour everywhere: `--help` prints the usage and exits 0 before the script does anything; an
 * unknown flag, a missing value or a stray argument prints what is wrong and the usage and exits 2.
 */
export type CliOptions = NonNullable<ParseArgsConfig['options']>;

export interface CliSpec<O extends CliOptions> {
  /** The whole usage text, first line `usage: npm run …`. */
  usage: string;
  options: O;
  /** How many positional arguments the script takes (default none). */
  maxPositionals?: number;
}

/** A flag's value was understood but is not acceptable (e.g. `--port abc`): exit 2 with the usage. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export interface CliExit {
  (code: number): never;
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  exit: CliExit;
}

const processIo: CliIo = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  exit: (code) => process.exit(code),
};

/** Parses `argv` against `spec`; answers `--help` and bad flags itself (see above). */
export function parseCli<O extends CliOptions>(
  spec: CliSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
  io: CliIo = processIo,
) {
  const options = { ...spec.options, help: { type: 'boolean', short: 'h' } } as const;
  const asksHelp = argv.includes('--help') || argv.includes('-h');
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (err) {
    // `--help` wins over a bad flag next to it: the person is asking how to call the script.
    if (asksHelp) return help(spec, io);
    return usageError(spec, err, io);
  }
  if ((parsed.values as { help?: boolean }).help) return help(spec, io);
  const max = spec.maxPositionals ?? 0;
  if (parsed.positionals.length > max) {
    return usageError(spec, new CliUsageError(`unexpected argument "${parsed.positionals[max]}"`), io);
  }
  return parsed;
}

function help(spec: { usage: string }, io: CliIo): never {
  io.out(spec.usage);
  return io.exit(0);
}

/** Prints the problem and the usage and exits 2 (for values a script validates after parsing). */
export function usageError(spec: { usage: string }, err: unknown, io: CliIo = processIo): never {
  const message = err instanceof Error ? err.message : String(err);
  io.err(`${message}\n${spec.usage}`);
  return io.exit(2);
}

/** `--name N`: a whole number within bounds, or `def` when absent. */
export function wholeNumber(
  name: string,
  value: string | undefined,
  def: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return def;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new CliUsageError(`--${name} expects a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}
