import type { CheckStep, ConnectionReport, SystemCheck } from '../../core/ports/connection.js';
import type { HttpConnectors } from './create-http-connectors.js';
import type { HttpClient, RemoteSystem } from './http-client.js';
import type { HttpConnectorSettings } from './http-settings.js';
import { remoteMessage } from './odata.js';
import { explainRemote } from './permission-errors.js';

/**
 * "check connection" (like BC's Test Connection): for each system a fresh token and one small read,
 * plus a MongoDB ping, each with its latency and, when it fails, the exact reason. Never throws.
 */
export interface CheckConnectionDeps {
  settings: HttpConnectorSettings;
  connectors: Pick<HttpConnectors, 'tokens' | 'clients'>;
  pingMongo: () => Promise<unknown>;
  now?: () => number;
}

export async function checkConnection(deps: CheckConnectionDeps): Promise<ConnectionReport> {
  const { settings, connectors } = deps;
  const now = deps.now ?? (() => performance.now());
  const bcRead = `${settings.businessCentral.serviceRoot}/companies(${settings.businessCentral.companyId})/customers?$top=1`;
  const dvRead = `${settings.dataverse.serviceRoot}/accounts?$top=1&$select=accountid`;
  const systems = await Promise.all([
    checkApi('Business Central', settings.businessCentral.scope, connectors.clients.businessCentral, bcRead),
    checkApi('Dataverse', settings.dataverse.scope, connectors.clients.dataverse, dvRead),
    timed('ping', now, deps.pingMongo).then((ping) => ({
      system: 'MongoDB' as const,
      ok: ping.ok,
      steps: [ping],
    })),
  ]);
  return { ok: systems.every((s) => s.ok), systems };

  async function checkApi(
    system: RemoteSystem,
    scope: string,
    http: HttpClient,
    url: string,
  ): Promise<SystemCheck> {
    const token = await timed('token', now, () => connectors.tokens.refreshToken(scope));
    if (!token.ok)
      return {
        system,
        ok: false,
        steps: [token, { step: 'read', ok: false, latencyMs: 0, error: 'not tried without a token' }],
      };
    const read = await timed('read', now, async () => {
      const response = await http.send({
        method: 'GET',
        url,
        headers: { 'OData-Version': '4.0', 'OData-MaxVersion': '4.0' },
      });
      if (response.status !== 200)
        throw new Error(`${system} answered ${response.status}: ${explain(system, remoteMessage(response))}`);
    });
    return { system, ok: read.ok, steps: [token, read] };
  }
}

async function timed(
  step: CheckStep['step'],
  now: () => number,
  run: () => Promise<unknown>,
): Promise<CheckStep> {
  const started = now();
  try {
    await run();
    return { step, ok: true, latencyMs: Math.round(now() - started) };
  } catch (error) {
    return {
      step,
      ok: false,
      latencyMs: Math.round(now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Known refusals restated as what to fix (permissions: the one translator); the remote words are kept. */
function explain(system: RemoteSystem, message: string): string {
  if (/not a member of the organization/i.test(message)) {
    return `the application is not an application user of this environment (${message})`;
  }
  return explainRemote(system, message);
}
