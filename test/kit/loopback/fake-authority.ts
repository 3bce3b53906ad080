import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testTls, type TestTls } from '../tls.js';

/**
 * A loopback Microsoft Entra ID: HTTPS with a certificate generated for the test, the OpenID metadata
 * msal-node reads and the v2.0 token endpoint for client credentials. Every request is recorded so
 * tests can prove token acquisition talks to no other host. Access tokens are HS256 JWTs the fake
 * BC and Dataverse servers verify (audience, expiry, signature).
 */
export interface FakeAuthorityOptions {
  tenantId: string;
  /** client id → client secret */
  clients: Record<string, string>;
  tokenLifetimeSeconds?: number;
  tls?: TestTls;
}

export interface AuthorityRequest {
  method: string;
  path: string;
  host: string;
  body: string;
}

export type TokenCheck = 'ok' | 'missing' | 'invalid' | 'expired' | 'wrong-audience';

export interface FakeAuthority {
  origin: string;
  tls: TestTls;
  requests: AuthorityRequest[];
  tokensIssued(): number;
  verify(authorization: string | undefined, audience: string): TokenCheck;
  /** Every token issued so far counts as expired from now on (as after a key roll-over). */
  expireAll(): void;
  close(): Promise<void>;
}

const b64 = (v: object | Buffer) =>
  (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');
const trimSlash = (s: string) => s.replace(/\/+$/, '');

export async function startFakeAuthority(options: FakeAuthorityOptions): Promise<FakeAuthority> {
  const tls = options.tls ?? testTls();
  const key = randomBytes(32);
  const requests: AuthorityRequest[] = [];
  let issued = 0;
  let revokedBefore = 0;
  let origin = '';
  const sign = (payload: object) => {
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
    return `${head}.${b64(createHmac('sha256', key).update(head).digest())}`;
  };

  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    void readBody(req).then((body) => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', host: req.headers.host ?? '', body });
      route(req, res, body);
    });
  });

  function route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const base = `/${options.tenantId}`;
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === `${base}/v2.0/.well-known/openid-configuration`) {
      return json(res, 200, {
        issuer: `${origin}${base}/v2.0`,
        token_endpoint: `${origin}${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${origin}${base}/oauth2/v2.0/authorize`,
        jwks_uri: `${origin}${base}/discovery/v2.0/keys`,
      });
    }
    if (req.method === 'POST' && path === `${base}/oauth2/v2.0/token`)
      return token(res, new URLSearchParams(body));
    json(res, 404, { error: 'not_found', error_description: `AADSTS90002: no such endpoint ${path}` });
  }

  function token(res: ServerResponse, form: URLSearchParams): void {
    const clientId = form.get('client_id') ?? '';
    const scope = form.get('scope') ?? '';
    if (form.get('grant_type') !== 'client_credentials') {
      return json(res, 400, {
        error: 'unsupported_grant_type',
        error_description: 'AADSTS70003: unsupported grant',
      });
    }
    if (options.clients[clientId] === undefined || options.clients[clientId] !== form.get('client_secret')) {
      return json(res, 401, {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided for app '${clientId}'.`,
        error_codes: [7000215],
      });
    }
    const resource = scope.split(' ').find((s) => s.endsWith('/.default'));
    if (!resource)
      return json(res, 400, {
        error: 'invalid_scope',
        error_description: 'AADSTS70011: scope must end in /.default',
      });
    const lifetime = options.tokenLifetimeSeconds ?? 3600;
    const now = Date.now();
    issued += 1;
    const accessToken = sign({
      aud: trimSlash(resource.slice(0, -'/.default'.length)),
      iss: `${origin}/${options.tenantId}/v2.0`,
      tid: options.tenantId,
      appid: clientId,
      iat: Math.floor(now / 1000),
      exp: Math.floor(now / 1000) + lifetime,
      issuedAtMs: now,
      jti: randomUUID(),
    });
    json(res, 200, {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
    });
  }

  function verify(authorization: string | undefined, audience: string): TokenCheck {
    const match = /^Bearer (.+)$/.exec(authorization ?? '');
    if (!match?.[1]) return 'missing';
    const [head, body, sig] = match[1].split('.');
    if (!head || !body || !sig) return 'invalid';
    const expected = b64(createHmac('sha256', key).update(`${head}.${body}`).digest());
    if (expected !== sig) return 'invalid';
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as {
      aud: string;
      exp: number;
      issuedAtMs: number;
    };
    if (claims.exp * 1000 <= Date.now() || claims.issuedAtMs <= revokedBefore) return 'expired';
    return claims.aud === trimSlash(audience) ? 'ok' : 'wrong-audience';
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    tls,
    requests,
    tokensIssued: () => issued,
    verify,
    expireAll: () => {
      revokedBefore = Date.now();
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
