import { z } from 'zod';

/**
 * Configuration, parsed once from the environment at start-up (style.md §5).
 * Nothing else reads process.env: the composition root passes what each part needs.
 */
const commaList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim().length > 0 ? v.trim() : undefined));

const intFrom = (def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a whole number from ${min} to ${max}, got "${v}"`,
        });
        return z.NEVER;
      }
      return n;
    });

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: intFrom(3978, 0, 65535),
    /**
     * Interface to listen on. Unset: every interface with authentication on, loopback only (127.0.0.1
     * and ::1) with it off. Set it to listen elsewhere on purpose.
     */
    HOST: optionalText,
    DATA_DIR: z.string().min(1).default('./.data'),
    MONGODB_URI: optionalText.refine((v) => v === undefined || /^mongodb(\+srv)?:\/\/.+/.test(v), {
      message: 'expected a MongoDB connection string starting with mongodb:// or mongodb+srv://',
    }),
    MONGODB_DB: z.string().min(1).default('coupling_assistant'),
    /**
     * How long one database call waits for a reachable server before the user is told to retry. Short,
     * because a chat request waits on it; start-up uses the same bound to connect.
     */
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: intFrom(3_000, 200, 120_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** auto: readable lines on a terminal outside production, JSON otherwise. */
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
    /** Set: traces and metrics go to Application Insights. Unset: no telemetry SDK is started at all. */
    APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText.refine(
      (v) => v === undefined || /(^|;)\s*(InstrumentationKey|IngestionEndpoint)=/i.test(v),
      {
        message:
          'expected an Application Insights connection string (InstrumentationKey=…;IngestionEndpoint=…)',
      },
    ),
    /** on: GET /metrics in the Prometheus text format (loopback clients, or a bearer METRICS_TOKEN). */
    METRICS_ENDPOINT: z.enum(['on', 'off']).default('off'),
    METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, {
      message: 'expected at least 16 characters',
    }),
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
    MicrosoftAppTenantId: optionalText,
    ALLOWED_TENANT_IDS: commaList,
    MANAGER_AAD_OBJECT_IDS: commaList,
    SYNC_INTERVAL_MINUTES: intFrom(30, 0, 24 * 60),
    MATCH_RUN_TTL_HOURS: intFrom(72, 1, 24 * 365),
    /** A match run or decision still working after this long answers with a progress card first (0 = always). */
    MATCH_PROGRESS_AFTER_MS: intFrom(2000, 0, 60_000),
    RATE_LIMIT_PER_MINUTE: intFrom(60, 0, 100_000),
    /** Turns waiting for their turn across the instance; past it, 503 with Retry-After. */
    MAX_QUEUED_TURNS: intFrom(256, 1, 100_000),
    /** Turns running or waiting in one conversation; past it, that conversation gets 503 / "busy". */
    MAX_TURNS_PER_CONVERSATION: intFrom(8, 1, 1_000),
    /** A Running job with no progress for this long is marked Interrupted and managers are told once. */
    JOB_STALL_MINUTES: intFrom(5, 1, 24 * 60),
    /** Lease of a scheduler slot and of a mapping's run lock; a dead holder's is taken over within two. */
    LEASE_SECONDS: intFrom(60, 5, 3_600),
    BC_BASE_URL: z.url().default('https://api.businesscentral.dynamics.com'),
    BC_TENANT_ID: optionalText,
    BC_ENVIRONMENT: optionalText,
    BC_COMPANY_ID: optionalText,
    DATAVERSE_URL: optionalText.refine((v) => v === undefined || /^https:\/\/.+/.test(v), {
      message: 'expected an https:// URL such as https://contoso.crm.dynamics.com',
    }),
    DATAVERSE_MAX_CONCURRENCY: intFrom(8, 1, 52),
    AZURE_TENANT_ID: optionalText,
    AZURE_CLIENT_ID: optionalText,
    AZURE_CLIENT_SECRET: optionalText,
    AZURE_AUTHORITY_HOST: z.url().default('https://login.microsoftonline.com'),
    /** The embedded database is refused when NODE_ENV=production unless this says the operator means it. */
    EMBEDDED_DB_IN_PRODUCTION: z
      .enum(['true', 'false', ''])
      .optional()
      .transform((v) => v === 'true'),
    /** Per-attempt timeout of every call to Business Central, Dataverse and Entra ID. */
    HTTP_TIMEOUT_MS: intFrom(30_000, 1_000, 600_000),
    /** Total time one outbound operation may take, retries and waits included. */
    HTTP_BUDGET_MS: intFrom(120_000, 1_000, 3_600_000),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && !config.MONGODB_URI && !config.EMBEDDED_DB_IN_PRODUCTION) {
      ctx.addIssue({
        code: 'custom',
        path: ['MONGODB_URI'],
        message:
          'required when NODE_ENV=production: the embedded database is a single-process store for ' +
          'development (no replication, no backups); set MONGODB_URI to a MongoDB server, or ' +
          'EMBEDDED_DB_IN_PRODUCTION=true to run it anyway',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; throws ConfigError with one line naming the variable and what is expected. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue?.path.join('.') ?? 'configuration';
    throw new ConfigError(`Invalid configuration: ${variable}: ${issue?.message ?? 'invalid value'}`);
  }
  return result.data;
}

/**
 * The tenants served. With an app id, an empty ALLOWED_TENANT_IDS means the bot's own tenant
 * (MicrosoftAppTenantId), never "all"; without one (authentication off, local clients) it means any.
 */
export function allowedTenantIds(
  config: Pick<Config, 'ALLOWED_TENANT_IDS' | 'MicrosoftAppId' | 'MicrosoftAppTenantId'>,
): string[] {
  if (config.ALLOWED_TENANT_IDS.length > 0 || !config.MicrosoftAppId) return config.ALLOWED_TENANT_IDS;
  if (config.MicrosoftAppTenantId) return [config.MicrosoftAppTenantId];
  throw new ConfigError(
    'Invalid configuration: ALLOWED_TENANT_IDS: required when MicrosoftAppId is set without ' +
      'MicrosoftAppTenantId (list the Entra tenant ids this bot serves).',
  );
}

/** Masks the password part of a connection string (user:secret@host → user:****@host). */
export function maskUri(uri: string): string {
  return uri.replace(/^([a-z+]+:\/\/[^:/@]+):[^@]*@/i, '$1:****@');
}

/** For entry points (npm start, npm run playground): a bad value prints its one line and exits 1. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}
