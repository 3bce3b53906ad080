import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

type Auth = ConfigurationBotFrameworkAuthentication;
type ConnectorFactory = ReturnType<Auth['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<ReturnType<Auth['createUserTokenClient']>>;
type ClaimsIdentity = Parameters<Auth['createUserTokenClient']>[0];

/** Distinct (app id, serviceUrl, audience) clients kept; Teams uses a handful of serviceUrls per region. */
const MAX_CLIENTS = 64;

/** The SDK's own rule (ParameterizedBotFrameworkAuthentication): the audience claim, else the appid claim. */
const appIdOf = (claims: ClaimsIdentity): string =>
  claims.getClaimValue('aud') ?? claims.getClaimValue('appid') ?? '';

/** A bounded map of pending or settled clients; a failed creation is forgotten so the next turn retries. */
function bounded<T>(max: number) {
  const entries = new Map<string, Promise<T>>();
  return (key: string, create: () => Promise<T>): Promise<T> => {
    const known = entries.get(key);
    if (known) return known;
    const created = create();
    created.catch(() => entries.get(key) === created && entries.delete(key));
    if (entries.size >= max) entries.delete(entries.keys().next().value as string);
    entries.set(key, created);
    return created;
  };
}

/**
 * CloudAdapter builds a new Bot Connector client, credentials and user-token client for every
 * activity (a pipeline of a dozen policies each time). They hold no per-turn state, so one per
 * (app id, serviceUrl, audience) is reused, as the older BotFrameworkAdapter did. Inbound requests are
 * still authenticated every time: only what is built *after* authentication is shared, keyed by the
 * app id taken from the validated claims.
 */
export function reuseConnectorClients(auth: Auth, max = MAX_CLIENTS): Auth {
  const clients = bounded<ConnectorClient>(max);
  const tokenClients = bounded<UserTokenClient>(max);

  const reusing = (appId: string, inner: ConnectorFactory): ConnectorFactory =>
    ({
      create: (serviceUrl: string, audience?: string) =>
        clients(`${appId}\n${serviceUrl}\n${audience ?? ''}`, () => inner.create(serviceUrl, audience)),
    }) as ConnectorFactory;

  const authenticate = auth.authenticateRequest.bind(auth);
  const connectorFactory = auth.createConnectorFactory.bind(auth);
  const userTokenClient = auth.createUserTokenClient.bind(auth);

  auth.authenticateRequest = async (activity, authHeader) => {
    const result = await authenticate(activity, authHeader);
    const inner = result.connectorFactory;
    return inner ? { ...result, connectorFactory: reusing(appIdOf(result.claimsIdentity), inner) } : result;
  };
  auth.createConnectorFactory = (claims) => reusing(appIdOf(claims), connectorFactory(claims));
  auth.createUserTokenClient = (claims) => tokenClients(appIdOf(claims), () => userTokenClient(claims));
  return auth;
}
