import { createHmac, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Bot Framework-style access tokens made here, to attack the bot's authentication: RS256 tokens signed
 * with a key of our own (forged), unsigned ones (alg "none"), and a loopback OpenID metadata endpoint
 * publishing one of our keys, so a positive control proves the validator really accepts a good token.
 */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** The claims a channel token carries; `overrides` change or (undefined) remove one. */
export function channelClaims(
  appId: string,
  serviceUrl: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: BOT_FRAMEWORK_ISSUER,
    aud: appId,
    serviceurl: serviceUrl,
    nbf: now - 60,
    iat: now - 60,
    exp: now + 3600,
    ...overrides,
  };
}

export function signRs256(key: SigningKey, claims: Record<string, unknown>): string {
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${b64(claims)}`;
  const signature = createSign('RSA-SHA256').update(head).sign(key.privateKey).toString('base64url');
  return `${head}.${signature}`;
}

/** alg "none": claims anyone can write, no signature at all. */
export function unsigned(claims: Record<string, unknown>, kid?: string): string {
  return `${b64({ alg: 'none', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64(claims)}.`;
}

/** Algorithm confusion: HS256 with the published RSA public key (PEM) as the HMAC secret. */
export function hs256WithPublicKey(key: SigningKey, claims: Record<string, unknown>): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64(claims)}`;
  const secret = key.publicKey.export({ type: 'spki', format: 'pem' });
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

export interface OpenIdServer {
  /** The OpenID configuration document's URL. */
  metadataUrl: string;
  close(): Promise<void>;
}

/** /.well-known/openidconfiguration → jwks_uri → the public halves of `keys`, as login.botframework.com serves them. */
export async function startOpenIdServer(keys: SigningKey[]): Promise<OpenIdServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/v1/.well-known/openidconfiguration') {
      return json({ issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: `${origin}/v1/.well-known/keys` });
    }
    if (req.url === '/v1/.well-known/keys') {
      return json({
        keys: keys.map((k) => ({
          ...k.publicKey.export({ format: 'jwk' }),
          kid: k.kid,
          use: 'sig',
          endorsements: ['msteams'],
        })),
      });
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${origin}/v1/.well-known/openidconfiguration`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
