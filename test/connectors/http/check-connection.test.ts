import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConnection } from '../../../connectors/http/check-connection.js';
import { createHttpConnectors } from '../../../connectors/http/create-http-connectors.js';
import { createLogger } from '../../../core/logger.js';
import { startHarness, type Harness } from '../../kit/loopback/harness.js';

let h: Harness;
const mongoUp = async () => ({ ok: 1 });

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const check = (overrides: Partial<Parameters<typeof checkConnection>[0]> = {}) =>
  checkConnection({ settings: h.settings, connectors: h.connect(), pingMongo: mongoUp, ...overrides });

describe('check connection', () => {
  it('reports a fresh token and one read per system, and the MongoDB ping, with latencies', async () => {
    const issued = h.authority.tokensIssued();
    const report = await check();
    expect(report.ok).toBe(true);
    expect(report.systems.map((s) => [s.system, s.steps.map((step) => `${step.step}:${step.ok}`)])).toEqual([
      ['Business Central', ['token:true', 'read:true']],
      ['Dataverse', ['token:true', 'read:true']],
      ['MongoDB', ['ping:true']],
    ]);
    expect(
      report.systems.flatMap((s) => s.steps).every((step) => step.latencyMs >= 0 && step.error === undefined),
    ).toBe(true);
    expect(h.authority.tokensIssued() - issued).toBe(2);
  });

  it('names a missing Dataverse privilege in plain words', async () => {
    h.dv.failNext(
      {
        kind: 'status',
        status: 403,
        body: {
          error: {
            code: '0x80040220',
            message: 'Principal user (Id=…, type=8) is missing prvReadAccount privilege (Id=…) on OTC=1',
          },
        },
      },
      (r) => r.path.endsWith('/accounts'),
    );
    const report = await check();
    const dataverse = report.systems.find((s) => s.system === 'Dataverse');
    expect(report.ok).toBe(false);
    expect(dataverse?.steps[1]?.error).toMatch(
      /^Dataverse answered 403: the application user lacks Read on account in Dataverse: give it a security role with that privilege \(prvReadAccount\)\. Details: Principal user/,
    );
    expect(report.systems.find((s) => s.system === 'Business Central')?.ok).toBe(true);
  });

  it('passes on Business Central own words, e.g. for an unknown company', async () => {
    const settings = {
      ...h.settings,
      businessCentral: { ...h.settings.businessCentral, companyId: '00000000-0000-4000-8000-00000000c0de' },
    };
    const report = await check({ settings });
    expect(report.systems[0]?.steps[1]?.error).toMatch(
      /^Business Central answered 404: No HTTP resource was found/,
    );
  });

  it('stops at the token when the secret is wrong, and says why', async () => {
    const settings = {
      ...h.settings,
      authority: { ...h.settings.authority, clientSecret: 'expired-secret' },
    };
    const bad = createHttpConnectors(settings, { logger: createLogger('silent'), fetch: h.fetch });
    const report = await checkConnection({ settings, connectors: bad, pingMongo: mongoUp });
    const bc = report.systems[0];
    expect(bc?.steps[0]?.error).toMatch(/AADSTS7000215: Invalid client secret/);
    expect(bc?.steps[1]).toMatchObject({ ok: false, error: 'not tried without a token' });
    expect(JSON.stringify(report)).not.toContain('expired-secret');
  });

  it('reports MongoDB down without hiding the other systems', async () => {
    const report = await check({
      pingMongo: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:27017')),
    });
    expect(report.systems[2]).toMatchObject({
      system: 'MongoDB',
      ok: false,
      steps: [{ step: 'ping', error: 'connect ECONNREFUSED 127.0.0.1:27017' }],
    });
    expect(report.systems[0]?.ok && report.systems[1]?.ok).toBe(true);
  });
});
