import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANT_REFUSAL } from '../../bot/middleware/tenant-allow-list.js';
import { Verb } from '../../cards/verbs.js';
import { accountId } from '../../connectors/sandbox/seed-data-dv.js';
import { startHttpBot, type HttpBot } from '../bot/http-bot.js';
import { TENANT, teamsExecute, teamsMessage, teamsSubmit } from '../bot/teams-activity.js';
import { snapshotAll } from './support/snapshot.js';

/** Only this tenant is served; the test activities come from TENANT unless said otherwise. */
const ALLOWED = 'aaaaaaaa-0000-4000-8000-000000000001';
const COUPLE = 'couple customer 10000 to account "Adatum Corporation"';

let http: HttpBot;
beforeAll(async () => {
  http = await startHttpBot({ env: { ALLOWED_TENANT_IDS: ALLOWED } });
});
afterAll(() => http.close());

const teams = (extra: object = {}) => ({ serviceUrl: http.connector.serviceUrl, ...extra });

/** Posts `activity`; returns the HTTP status, the invoke body if any, and the texts sent to the chat. */
async function send(activity: object) {
  http.connector.clear();
  const res = await http.post(activity);
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as { value?: unknown }) : undefined,
    said: http.connector.messages().map((m) => m.text),
  };
}

describe('tenants outside ALLOWED_TENANT_IDS, over HTTP', () => {
  it.each([
    ['a typed command from another tenant', () => teamsMessage(COUPLE, teams())],
    [
      'a command whose channelData claims the allowed tenant but whose conversation is another',
      () => ({ ...teamsMessage(COUPLE, teams()), channelData: { tenant: { id: ALLOWED } } }),
    ],
    [
      'a command with no tenant at all',
      () => {
        const a = teamsMessage(COUPLE, teams());
        return { ...a, conversation: { ...a.conversation, tenantId: undefined }, channelData: {} };
      },
    ],
    [
      'an Action.Submit fallback',
      () => teamsSubmit({ verb: Verb.couplePick, mapping: 'CUSTOMER', number: '10000' }, teams()),
    ],
  ])('%s is refused politely and nothing is written', async (_name, activity) => {
    const before = await snapshotAll(http.db.db);
    const answer = await send(activity());
    expect(answer.status).toBe(200);
    expect(answer.said).toEqual([TENANT_REFUSAL]);
    expect(await snapshotAll(http.db.db)).toEqual(before);
  });

  it('a card click (Action.Execute) is answered in the invoke response, and nothing is written', async () => {
    const before = await snapshotAll(http.db.db);
    const answer = await send(
      teamsExecute(Verb.couplePick, { mapping: 'CUSTOMER', dvId: accountId('adatum') }, teams()),
    );
    expect(answer.status).toBe(200);
    expect(answer.body?.value).toBe(TENANT_REFUSAL);
    expect(answer.said).toEqual([]);
    expect(await snapshotAll(http.db.db)).toEqual(before);
  });

  it('the allowed tenant (in any letter case) is served, and the same command does write (the control)', async () => {
    const before = await snapshotAll(http.db.db);
    const answer = await send(teamsMessage(COUPLE, teams({ tenantId: ALLOWED.toUpperCase() })));
    expect(answer.said).not.toContain(TENANT_REFUSAL);
    const after = await snapshotAll(http.db.db);
    expect(after['couplings']).toHaveLength((before['couplings']?.length ?? 0) + 1);
    expect(TENANT).not.toBe(ALLOWED);
  });
});
