import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';

/** Where the server listens with authentication off and no HOST: this machine only. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1'];

/**
 * The interfaces to listen on. HOST, when set, wins. Otherwise authentication decides: on, every
 * interface (Azure App Service routes to the port); off, loopback only, since anyone who reaches the
 * port could act as anyone. Either way with authentication off the log says so loudly.
 */
export function bindHosts(
  config: Pick<Config, 'HOST' | 'MicrosoftAppId'>,
  logger: Pick<Logger, 'warn'>,
): readonly string[] | undefined {
  if (config.MicrosoftAppId) return config.HOST ? [config.HOST] : undefined;
  if (config.HOST && !isLoopbackHost(config.HOST)) {
    logger.warn(
      { host: config.HOST },
      `!!! AUTHENTICATION IS OFF and HOST=${config.HOST}: anyone who reaches this interface can use the bot. ` +
        'Only replies to loopback serviceUrls are sent. Unset HOST to listen on 127.0.0.1 and ::1 only. !!!',
    );
    return [config.HOST];
  }
  logger.warn(
    { hosts: config.HOST ? [config.HOST] : LOOPBACK_HOSTS },
    '!!! AUTHENTICATION IS OFF: listening on loopback only (127.0.0.1 and ::1), for clients on this machine. !!!',
  );
  return config.HOST ? [config.HOST] : LOOPBACK_HOSTS;
}

const LOOPBACK_NAME = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|\[?::ffff:127(?:\.\d{1,3}){3}\]?)$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAME.test(host.trim());
}

/** An http(s) URL whose host is this machine (localhost, 127.0.0.0/8, ::1); anything else is false. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
    if (parsed.username || parsed.password) return false;
    return isLoopbackHost(parsed.hostname);
  } catch {
    return false;
  }
}
