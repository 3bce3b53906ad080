import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, maskUri } from '../../core/config.js';

describe('configuration', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3978,
      DATA_DIR: './.data',
      SYNC_INTERVAL_MINUTES: 30,
      MATCH_RUN_TTL_HOURS: 72,
      ALLOWED_TENANT_IDS: [],
      MANAGER_AAD_OBJECT_IDS: [],
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com',
    });
    expect(config.MONGODB_URI).toBeUndefined();
  });

  it('reads comma lists, trimming blanks', () => {
    const config = loadConfig({ MANAGER_AAD_OBJECT_IDS: ' a , b,,c ', ALLOWED_TENANT_IDS: 't1' });
    expect(config.MANAGER_AAD_OBJECT_IDS).toEqual(['a', 'b', 'c']);
    expect(config.ALLOWED_TENANT_IDS).toEqual(['t1']);
  });

  it.each([
    ['PORT', 'eighty', /PORT: expected a whole number from 0 to 65535, got "eighty"/],
    ['PORT', '70000', /PORT: expected a whole number/],
    ['MONGODB_URI', 'postgres://x', /MONGODB_URI: expected a MongoDB connection string/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['SYNC_INTERVAL_MINUTES', '-5', /SYNC_INTERVAL_MINUTES: expected a whole number/],
    ['DATAVERSE_URL', 'http://contoso.crm.dynamics.com', /DATAVERSE_URL: expected an https:\/\/ URL/],
    ['DATAVERSE_MAX_CONCURRENCY', '60', /DATAVERSE_MAX_CONCURRENCY: expected a whole number from 1 to 52/],
  ])('stops start-up with one line naming %s when it is %s', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('refuses the embedded database in production in one line, unless the operator means it', () => {
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration: MONGODB_URI: required when NODE_ENV=production: /);
    expect(message).toContain('EMBEDDED_DB_IN_PRODUCTION=true');
    expect(message).not.toContain('\n');
    expect(
      loadConfig({ NODE_ENV: 'production', EMBEDDED_DB_IN_PRODUCTION: 'true' }).MONGODB_URI,
    ).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://db.example:27017' }).NODE_ENV).toBe(
      'production',
    );
    expect(() => loadConfig({ NODE_ENV: 'development' })).not.toThrow();
  });

  it('never shows the password of a connection string', () => {
    expect(maskUri('mongodb+srv://app:s3cr%40t@cluster0.example.net/db')).toBe(
      'mongodb+srv://app:****@cluster0.example.net/db',
    );
    expect(maskUri('mongodb://127.0.0.1:27017')).toBe('mongodb://127.0.0.1:27017');
  });

  it('does not echo a secret in its error message', () => {
    expect(() => loadConfig({ MONGODB_URI: 'nope://user:hunter2@x' })).toThrow(/^(?!.*hunter2)/s);
  });
});
