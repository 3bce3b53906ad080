import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../core/config.js';
import { httpConnectorSettings } from '../../../bot/composition/http-settings.js';

const COMPLETE = {
  BC_TENANT_ID: 'contoso.onmicrosoft.com',
  BC_ENVIRONMENT: 'Production',
  BC_COMPANY_ID: '5d115c9c-44e3-ea11-bb43-000d3a2feca1',
  DATAVERSE_URL: 'https://contoso.crm4.dynamics.com/',
  AZURE_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  AZURE_CLIENT_SECRET: 'the-secret',
};

const settingsFor = (env: Record<string, string>) => httpConnectorSettings(loadConfig(env));

describe('HTTP connector settings', () => {
  it('are absent when no connection variable is set, so the sandbox runs', () => {
    expect(settingsFor({})).toBeUndefined();
  });

  it('derive service roots and token scopes when everything is set', () => {
    const settings = settingsFor({ ...COMPLETE, DATAVERSE_MAX_CONCURRENCY: '12' });
    expect(settings).toMatchObject({
      authority: { host: 'https://login.microsoftonline.com', tenantId: COMPLETE.AZURE_TENANT_ID },
      businessCentral: {
        serviceRoot:
          'https://api.businesscentral.dynamics.com/v2.0/contoso.onmicrosoft.com/Production/api/v2.0',
        scope: 'https://api.businesscentral.dynamics.com/.default',
      },
      dataverse: {
        serviceRoot: 'https://contoso.crm4.dynamics.com/api/data/v9.2',
        scope: 'https://contoso.crm4.dynamics.com/.default',
        maxConcurrency: 12,
      },
    });
  });

  it('stop start-up naming exactly what is missing when half set', () => {
    const { DATAVERSE_URL: _d, AZURE_CLIENT_SECRET: _s, ...half } = COMPLETE;
    expect(() => settingsFor(half)).toThrow(ConfigError);
    expect(() => settingsFor(half)).toThrow(/missing DATAVERSE_URL, AZURE_CLIENT_SECRET \(set: BC_TENANT_ID/);
  });

  it.each([
    ['BC_BASE_URL', 'http://bc.internal', /BC_BASE_URL must use https:\/\//],
    ['AZURE_AUTHORITY_HOST', 'http://login.internal', /AZURE_AUTHORITY_HOST must use https:\/\//],
    ['BC_COMPANY_ID', 'CRONUS International Ltd.', /BC_COMPANY_ID must be the company id \(a GUID\)/],
  ])('refuse %s = %s', (name, value, message) => {
    expect(() => settingsFor({ ...COMPLETE, [name]: value })).toThrow(message);
  });

  it('never put the client secret in an error message', () => {
    const { BC_ENVIRONMENT: _e, ...half } = COMPLETE;
    expect(() => settingsFor(half)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('the-secret') }),
    );
  });
});
