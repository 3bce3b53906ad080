import type { HttpConnectorSettings } from '../../connectors/http/http-settings.js';
import { ConfigError, type Config } from '../../core/config.js';

/** The variables that switch the real connectors on; BC_BASE_URL and AZURE_AUTHORITY_HOST have defaults. */
const REQUIRED = [
  'BC_TENANT_ID',
  'BC_ENVIRONMENT',
  'BC_COMPANY_ID',
  'DATAVERSE_URL',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * undefined when none of the connection variables is set (the sandbox runs); the settings when all are;
 * a ConfigError naming exactly what is missing or wrong when the set is half filled, so start-up stops
 * instead of silently falling back to demo data.
 */
export function httpConnectorSettings(config: Config): HttpConnectorSettings | undefined {
  const present = REQUIRED.filter((name) => config[name] !== undefined);
  if (present.length === 0) return undefined;
  const missing = REQUIRED.filter((name) => config[name] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `The Business Central / Dataverse connection is half configured: missing ${missing.join(', ')} ` +
        `(set: ${present.join(', ')}). Set them all to use the real systems, or none to use the sandbox.`,
    );
  }
  const value = (name: (typeof REQUIRED)[number]) => config[name] as string;
  const problems = [
    ...httpsProblem('BC_BASE_URL', config.BC_BASE_URL),
    ...httpsProblem('DATAVERSE_URL', value('DATAVERSE_URL')),
    ...httpsProblem('AZURE_AUTHORITY_HOST', config.AZURE_AUTHORITY_HOST),
    ...(GUID.test(value('BC_COMPANY_ID'))
      ? []
      : ['BC_COMPANY_ID must be the company id (a GUID), not its name']),
  ];
  if (problems.length > 0) throw new ConfigError(`Invalid connection settings: ${problems.join('; ')}.`);

  const bcBase = trimSlash(config.BC_BASE_URL);
  const dvUrl = trimSlash(value('DATAVERSE_URL'));
  const bcTenant = value('BC_TENANT_ID');
  const environment = value('BC_ENVIRONMENT');
  return {
    authority: {
      host: trimSlash(config.AZURE_AUTHORITY_HOST),
      tenantId: value('AZURE_TENANT_ID'),
      clientId: value('AZURE_CLIENT_ID'),
      clientSecret: value('AZURE_CLIENT_SECRET'),
    },
    businessCentral: {
      baseUrl: bcBase,
      tenantId: bcTenant,
      environment,
      companyId: value('BC_COMPANY_ID'),
      serviceRoot: `${bcBase}/v2.0/${encodeURIComponent(bcTenant)}/${encodeURIComponent(environment)}/api/v2.0`,
      scope: `${bcBase}/.default`,
    },
    dataverse: {
      url: dvUrl,
      serviceRoot: `${dvUrl}/api/data/v9.2`,
      scope: `${dvUrl}/.default`,
      maxConcurrency: config.DATAVERSE_MAX_CONCURRENCY,
    },
  };
}

function httpsProblem(name: string, url: string): string[] {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:')
      return [`${name} must use https:// (got ${parsed.protocol}//${parsed.host})`];
    if (parsed.search || parsed.hash) return [`${name} must not carry a query or fragment`];
    return [];
  } catch {
    return [`${name} is not a URL`];
  }
}
