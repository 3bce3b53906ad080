import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionCheck } from '../../../core/connection/connection-check.js';
import { createRoles } from '../../../core/roles.js';
import { checkConnection } from '../../../connectors/http/check-connection.js';
import { startHarness, type Harness } from '../../kit/loopback/harness.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

const MANAGER = { id: 'AAD-Manager', name: 'Megan' };
const USER = { id: 'aad-user', name: 'Ben' };
const roles = createRoles(['aad-manager']);

let db: TestDb;
beforeAll(async () => {
  db = await useTestDb();
});
afterAll(() => db.cleanup());

describe('check connection on the sandbox', () => {
  it('reports the sandbox connectors and a timed MongoDB ping', async () => {
    const result = await createConnectionCheck({ roles, db: db.db }).check(MANAGER);
    expect(result.connectors).toBe('sandbox');
    expect(result.report.ok).toBe(true);
    expect(result.report.systems).toEqual([
      { system: 'MongoDB', ok: true, steps: [{ step: 'ping', ok: true, latencyMs: expect.any(Number) }] },
    ]);
  });

  it('reports a MongoDB that does not answer instead of throwing', async () => {
    const closed = await useTestDb();
    await closed.cleanup();
    const result = await createConnectionCheck({ roles, db: closed.db }).check(MANAGER);
    expect(result.report.ok).toBe(false);
    expect(result.report.systems[0]?.steps[0]).toMatchObject({
      step: 'ping',
      ok: false,
      error: expect.any(String),
    });
  });

  it('is refused in core for anyone but a manager', async () => {
    await expect(createConnectionCheck({ roles, db: db.db }).check(USER)).rejects.toThrow(
      /Only managers can check the connection/,
    );
  });
});

describe('check connection with the HTTP connectors', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('checks both APIs and MongoDB; a refused user causes no request at all', async () => {
    const check = createConnectionCheck({
      roles,
      db: db.db,
      http: (o) => checkConnection({ settings: h.settings, connectors: h.connect(), ...o }),
    });
    h.bc.resetStats();
    h.dv.resetStats();
    await expect(check.check(USER)).rejects.toThrow(/Only managers/);
    expect([h.bc.requests.length, h.dv.requests.length]).toEqual([0, 0]);
    const result = await check.check(MANAGER);
    expect(result.connectors).toBe('http');
    expect(result.report.systems.map((s) => [s.system, s.ok, s.steps.map((x) => x.step)])).toEqual([
      ['Business Central', true, ['token', 'read']],
      ['Dataverse', true, ['token', 'read']],
      ['MongoDB', true, ['ping']],
    ]);
  });
});
