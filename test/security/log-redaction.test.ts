import type { Activity } from 'botbuilder';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { refuseUnverifiedRequests } from '../../bot/auth-guard.js';
import { createLogThrottle } from '../../bot/log-throttle.js';
import { captureLogs } from '../bot/log-capture.js';
import { teamsMessage } from '../bot/teams-activity.js';
import { leaks, secret } from './support/secrets.js';

/**
 * Redaction at any depth (pino's redact paths reach only the depths they list) and authentication
 * failures that cannot flood the log.
 */
describe('log redaction at any depth', () => {
  it('secret keys, headers, connection strings, tokens and error messages never reach a line', () => {
    const capture = captureLogs('trace');
    const s = {
      password: secret('deep-password'),
      authorization: secret('auth-header'),
      clientSecret: secret('client-secret'),
      mongo: secret('mongo-pw'),
      ado: secret('ado-pw'),
      form: secret('form-secret'),
      jwt: `eyJ${secret('jwthead').replace(/[^A-Za-z0-9]/g, 'x')}.eyJ${'a'.repeat(20)}.${'b'.repeat(20)}`,
      bearer: secret('bearer-token').replace(/[^A-Za-z0-9]/g, 'x'),
      binding: secret('binding'),
      message: secret('in-a-message'),
    };
    const child = capture.logger.child({ connection: { options: { MicrosoftAppPassword: s.binding } } });
    child.info(
      {
        a: { b: { c: { d: { e: { f: { password: s.password } } } } } },
        request: { headers: { Authorization: `Bearer ${s.bearer}`, 'x-other': 'kept' } },
        list: [{ settings: [{ clientSecret: s.clientSecret }] }],
        uri: `mongodb+srv://app:${s.mongo}@cluster0.example.net/db`,
        ado: `Server=tcp:db.example.net;User Id=app;Password=${s.ado};Encrypt=true`,
        body: `grant_type=client_credentials&client_id=abc&client_secret=${s.form}&scope=x`,
        proxy: { 'Proxy-Authorization': s.authorization },
        note: `token ${s.jwt}`,
        err: new Error(`connect failed for mongodb://app:${s.mongo}@db.example.net:27017`),
      },
      `calling with Bearer ${s.bearer} and password=${s.message}`,
    );
    const text = JSON.stringify(capture.lines());
    expect(leaks(text, s)).toEqual([]);
    const line = capture.lines()[0] as {
      request: { headers: Record<string, string> };
      uri: string;
      err: { message: string };
      a: { b: { c: { d: { e: { f: { password: string } } } } } };
    };
    // What is not secret stays readable.
    expect(line.request.headers['x-other']).toBe('kept');
    expect(line.uri).toBe('mongodb+srv://app:****@cluster0.example.net/db');
    expect(line.err.message).toBe('connect failed for mongodb://app:****@db.example.net:27017');
    expect(line.a.b.c.d.e.f.password).toBe('[redacted]');
  });

  it('a deep or circular object is logged within bounds, not followed forever', () => {
    const capture = captureLogs('trace');
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    let deep: Record<string, unknown> = { password: secret('bottom') };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    capture.logger.info({ loop, deep }, 'bounded');
    const text = JSON.stringify(capture.lines());
    expect(text).toContain('[circular]');
    expect(text).toContain('[nested too deep]');
    expect(text).not.toContain('bottom');
  });
});

describe('refused tokens in the log', () => {
  const auth = () =>
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: '5f2b7c1d-0000-4000-8000-00000000a11d',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    });
  const activity = teamsMessage('help', { serviceUrl: 'https://smba.trafficmanager.net/teams/' }) as Activity;

  it('are a warning with the reason, one line per reason a minute, with the count held back', async () => {
    const capture = captureLogs('debug');
    let now = 0;
    const guarded = refuseUnverifiedRequests(auth(), capture.logger, createLogThrottle({ now: () => now }));
    const refusals = () => capture.lines().filter((l) => String(l.msg).startsWith('request refused'));
    for (let i = 0; i < 50; i++) await expect(guarded.authenticateRequest(activity, '')).rejects.toThrow();
    expect(refusals()).toHaveLength(1);
    expect(refusals()[0]).toMatchObject({ level: 40, hadToken: false, suppressed: 0 });
    expect(String(refusals()[0]?.reason)).not.toBe('');

    // Another reason is its own line.
    await expect(guarded.authenticateRequest(activity, 'Bearer not.a.jwt')).rejects.toThrow();
    expect(refusals()).toHaveLength(2);
    expect(refusals()[1]).toMatchObject({ hadToken: true, suppressed: 0 });

    now += 60_000;
    await expect(guarded.authenticateRequest(activity, '')).rejects.toThrow();
    expect(refusals()).toHaveLength(3);
    expect(refusals()[2]).toMatchObject({ level: 40, suppressed: 49 });
  });
});
