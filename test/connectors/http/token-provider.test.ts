import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorityNetworkClient } from '../../../connectors/http/msal-network.js';
import { createTokenProvider, TokenError } from '../../../connectors/http/token-provider.js';
import { startFakeAuthority, type FakeAuthority } from '../../kit/loopback/fake-authority.js';
import { trustingFetch } from '../../kit/tls.js';

const TENANT = '7a1d2c3e-0000-4000-8000-00000000aa01';
const CLIENT = 'c1d2e3f4-0000-4000-8000-00000000bb02';
const SECRET = 'client-secret-value-Zq9';
const BC_SCOPE = 'https://bc.example.test/.default';
const DV_SCOPE = 'https://contoso.crm.dynamics.test/.default';

let authority: FakeAuthority;
let tlsFetch: typeof fetch;
const seen: string[] = [];
const recordingFetch: typeof fetch = (input, init) => {
  seen.push(String(input));
  return tlsFetch(input, init);
};

function provider(secret = SECRET) {
  return createTokenProvider(
    { host: authority.origin, tenantId: TENANT, clientId: CLIENT, clientSecret: secret },
    { fetch: recordingFetch },
  );
}

beforeAll(async () => {
  authority = await startFakeAuthority({ tenantId: TENANT, clients: { [CLIENT]: SECRET } });
  tlsFetch = await trustingFetch(authority.tls.caPem);
});
afterAll(() => authority.close());

describe('token provider (client credentials through msal-node)', () => {
  it('gets a token per resource that the authority recognises for that audience', async () => {
    const tokens = provider();
    const bc = await tokens.getToken(BC_SCOPE);
    const dv = await tokens.getToken(DV_SCOPE);
    expect(authority.verify(`Bearer ${bc}`, 'https://bc.example.test')).toBe('ok');
    expect(authority.verify(`Bearer ${dv}`, 'https://contoso.crm.dynamics.test')).toBe('ok');
    expect(authority.verify(`Bearer ${bc}`, 'https://contoso.crm.dynamics.test')).toBe('wrong-audience');
  });

  it('contacts only the configured authority host: OpenID metadata and token endpoint, nothing else', async () => {
    seen.length = 0;
    authority.requests.length = 0;
    await provider().getToken(BC_SCOPE);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((url) => url.startsWith(`${authority.origin}/`))).toBe(true);
    expect(authority.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      `GET /${TENANT}/v2.0/.well-known/openid-configuration`,
      `POST /${TENANT}/oauth2/v2.0/token`,
    ]);
  });

  it('caches the token, and shares one request between concurrent callers', async () => {
    const tokens = provider();
    const before = authority.tokensIssued();
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => tokens.getToken(BC_SCOPE)));
    await tokens.getToken(BC_SCOPE);
    expect(new Set(all).size).toBe(1);
    expect(authority.tokensIssued() - before).toBe(1);
  });

  it('forces a fresh token once when the API refused the cached one, however many callers saw the 401', async () => {
    const tokens = provider();
    const first = await tokens.getToken(DV_SCOPE);
    authority.expireAll();
    const before = authority.tokensIssued();
    const fresh = await Promise.all([1, 2, 3].map(() => tokens.getToken(DV_SCOPE, first)));
    expect(new Set(fresh).size).toBe(1);
    expect(fresh[0]).not.toBe(first);
    expect(authority.tokensIssued() - before).toBe(1);
    expect(authority.verify(`Bearer ${fresh[0]}`, 'https://contoso.crm.dynamics.test')).toBe('ok');
  });

  it('reports a wrong client secret in the authority words, without the secret', async () => {
    const error = await provider('wrong-secret-123')
      .getToken(BC_SCOPE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as Error).message).toMatch(/AADSTS7000215: Invalid client secret/);
    expect((error as Error).message).not.toContain('wrong-secret-123');
  });

  it('explains an untrusted certificate instead of a bare "fetch failed"', async () => {
    const tokens = createTokenProvider({
      host: authority.origin,
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: SECRET,
    });
    const error = await tokens.getToken(BC_SCOPE).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /Could not get a token from https:\/\/127\.0\.0\.1:\d+: unreachable: .*certificate/i,
    );
  });

  it('refuses to send anything to a host other than the authority', async () => {
    seen.length = 0;
    const client = authorityNetworkClient(authority.origin, recordingFetch);
    await expect(
      client.sendGetRequestAsync(
        'https://login.microsoftonline.com/common/discovery/instance?api-version=1.1',
      ),
    ).rejects.toThrow(/untrusted_host/);
    expect(client.lastFailure).toMatch(
      /https:\/\/login\.microsoftonline\.com, which is not the configured authority host; the request was refused/,
    );
    expect(seen).toEqual([]);
  });
});

describe('calls to the authority are bounded', () => {
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const noWait = () => Promise.resolve();

  it('tries a token request again after a 503 or a network error, then answers', async () => {
    const answers = [
      () => Promise.resolve(json(503, { error: 'temporarily_unavailable' })),
      () =>
        Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNRESET', message: 'reset' } })),
      () => Promise.resolve(json(200, { access_token: 'tok' })),
    ];
    let calls = 0;
    const flaky: typeof fetch = () => answers[calls++]!();
    const client = authorityNetworkClient('https://login.example.test', flaky, { sleep: noWait });
    const response = await client.sendPostRequestAsync<{ access_token: string }>(
      'https://login.example.test/t/oauth2/v2.0/token',
      { body: 'grant_type=client_credentials' },
    );
    expect(response.body.access_token).toBe('tok');
    expect(calls).toBe(3);
  });

  it('ends an attempt after its timeout and gives up after three', async () => {
    let calls = 0;
    const silent: typeof fetch = (_url, init) => {
      calls++;
      return new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    };
    const client = authorityNetworkClient('https://login.example.test', silent, {
      timeoutMs: 50,
      budgetMs: 5_000,
      sleep: noWait,
    });
    const started = Date.now();
    await expect(
      client.sendGetRequestAsync('https://login.example.test/t/v2.0/.well-known/x'),
    ).rejects.toThrow();
    expect(client.lastFailure).toBe('unreachable: no answer within 0.1 s');
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('token provider with production defaults (global fetch, Node trust store)', () => {
  const child = fileURLToPath(new URL('./support/token-child.ts', import.meta.url));
  async function runChild(
    extraCa: string | undefined,
  ): Promise<{ ok: boolean; token?: string; error?: string }> {
    const { NODE_EXTRA_CA_CERTS: _ignored, ...env } = process.env;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child], {
      env: {
        ...env,
        ...(extraCa ? { NODE_EXTRA_CA_CERTS: extraCa } : {}),
        TEST_AUTHORITY_HOST: authority.origin,
        TEST_TENANT_ID: TENANT,
        TEST_CLIENT_ID: CLIENT,
        TEST_CLIENT_SECRET: SECRET,
        TEST_SCOPE: BC_SCOPE,
      },
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      ok: boolean;
      token?: string;
      error?: string;
    };
  }

  it('trusts a private CA given in NODE_EXTRA_CA_CERTS', async () => {
    const result = await runChild(authority.tls.caFile);
    expect(result.error).toBeUndefined();
    expect(authority.verify(`Bearer ${result.token}`, 'https://bc.example.test')).toBe('ok');
  });

  it('refuses the same authority without it', async () => {
    const result = await runChild(undefined);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/unreachable: .*certificate/i);
  });
});
