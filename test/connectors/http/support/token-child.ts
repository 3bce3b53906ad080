import { createTokenProvider } from '../../../../connectors/http/token-provider.js';

/**
 * Runs in a child process started with (or without) NODE_EXTRA_CA_CERTS: acquires a token through the
 * production defaults (global fetch, no injected transport) and prints the outcome as one JSON line.
 */
const env = process.env;
const tokens = createTokenProvider({
  host: env.TEST_AUTHORITY_HOST ?? '',
  tenantId: env.TEST_TENANT_ID ?? '',
  clientId: env.TEST_CLIENT_ID ?? '',
  clientSecret: env.TEST_CLIENT_SECRET ?? '',
});
tokens
  .getToken(env.TEST_SCOPE ?? '')
  .then((token) => console.log(JSON.stringify({ ok: true, token })))
  .catch((error: unknown) => console.log(JSON.stringify({ ok: false, error: (error as Error).message })));
