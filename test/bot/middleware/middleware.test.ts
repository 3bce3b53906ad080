import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { correlation } from '../../../bot/middleware/correlation.js';
import { saveConversationReference } from '../../../bot/middleware/conversation-reference.js';
import { rateLimit } from '../../../bot/middleware/rate-limit.js';
import { TENANT_REFUSAL, tenantAllowList } from '../../../bot/middleware/tenant-allow-list.js';
import { CORRELATION_ID, TURN_LOGGER } from '../../../bot/turn.js';
import type { ConversationInput } from '../../../core/conversations/conversation-references.js';
import { captureLogs } from '../log-capture.js';

const { logger } = captureLogs();

/** A bot that answers "ran" so a test can tell whether the turn reached it. */
function adapterWith(...middleware: Parameters<TestAdapter['use']>) {
  const reached: TurnContext[] = [];
  const adapter = new TestAdapter(async (context) => {
    reached.push(context);
    await context.sendActivity('ran');
  });
  adapter.use(...middleware);
  return { adapter, reached };
}

const fromTenant = (tenantId: string | undefined, extra: Partial<Activity> = {}): Partial<Activity> => ({
  type: 'message',
  text: 'help',
  conversation: { id: 'conv-1', tenantId, isGroup: false, conversationType: 'personal', name: '' },
  ...extra,
});

async function texts(adapter: TestAdapter, activity: Partial<Activity>): Promise<string[]> {
  adapter.activeQueue.splice(0);
  await adapter.processActivity(activity);
  return adapter.activeQueue.map((a) => a.text ?? `(${a.type})`);
}

describe('tenant allow-list', () => {
  it.each([
    ['a listed tenant is served', ['t-1', 't-2'], 't-2', ['ran']],
    ['tenant ids compare case-insensitively', ['AAAA-1'], 'aaaa-1', ['ran']],
    ['another tenant is refused politely and nothing runs', ['t-1'], 't-9', [TENANT_REFUSAL]],
    ['no tenant at all is refused when a list is set', ['t-1'], undefined, [TENANT_REFUSAL]],
    ['an empty list allows everyone', [], 't-9', ['ran']],
  ])('%s', async (_name, allowed, tenant, expected) => {
    const { adapter, reached } = adapterWith(tenantAllowList(allowed, logger));
    expect(await texts(adapter, fromTenant(tenant))).toEqual(expected);
    expect(reached.length).toBe(expected[0] === 'ran' ? 1 : 0);
  });

  it('reads the tenant from channelData when the conversation has none (older Teams clients)', async () => {
    const { adapter } = adapterWith(tenantAllowList(['t-1'], logger));
    const activity = fromTenant(undefined, { channelData: { tenant: { id: 't-1' } } });
    expect(await texts(adapter, activity)).toEqual(['ran']);
  });

  it('answers a refused card click with an invoke response, not a message', async () => {
    const { adapter, reached } = adapterWith(tenantAllowList(['t-1'], logger));
    adapter.activeQueue.splice(0);
    await adapter.processActivity(
      fromTenant('t-9', { type: 'invoke', name: 'adaptiveCard/action', value: {} }),
    );
    expect(reached).toHaveLength(0);
    expect(adapter.activeQueue[0]).toMatchObject({
      type: 'invokeResponse',
      value: {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: TENANT_REFUSAL },
      },
    });
  });
});

describe('rate limit', () => {
  it('refuses the request past the limit with a friendly message, and serves again a minute later', async () => {
    let now = Date.parse('2025-01-01T10:00:00Z');
    const { adapter, reached } = adapterWith(rateLimit(3, { now: () => new Date(now) }));
    const said: string[] = [];
    for (let i = 0; i < 4; i++) said.push(...(await texts(adapter, fromTenant('t'))));
    expect(said.slice(0, 3)).toEqual(['ran', 'ran', 'ran']);
    expect(said[3]).toMatch(/going a bit fast.*3 requests a minute.*nothing was changed/);
    expect(reached).toHaveLength(3);
    now += 60_001;
    expect(await texts(adapter, fromTenant('t'))).toEqual(['ran']);
  });

  it('counts each user separately', async () => {
    const { adapter } = adapterWith(rateLimit(1, { now: () => new Date(0) }));
    const as = (id: string) => fromTenant('t', { from: { id, name: id, aadObjectId: id } });
    expect(await texts(adapter, as('u1'))).toEqual(['ran']);
    expect(await texts(adapter, as('u2'))).toEqual(['ran']);
    expect((await texts(adapter, as('u1')))[0]).toMatch(/going a bit fast/);
  });

  it('is off at 0', async () => {
    const { adapter } = adapterWith(rateLimit(0, { now: () => new Date(0) }));
    for (let i = 0; i < 5; i++) expect(await texts(adapter, fromTenant('t'))).toEqual(['ran']);
  });
});

describe('correlation', () => {
  it('gives the turn the activity id as correlation id and a child logger that carries it', async () => {
    const capture = captureLogs();
    const seen: unknown[] = [];
    const adapter = new TestAdapter(async (context) => {
      seen.push(context.turnState.get(CORRELATION_ID));
      context.turnState.get(TURN_LOGGER).info('hello');
    });
    adapter.use(correlation(capture.logger));
    await adapter.processActivity(fromTenant('t-1', { id: 'act-42' }));
    expect(seen).toEqual(['act-42']);
    expect(capture.lines().find((l) => l.msg === 'hello')).toMatchObject({
      correlationId: 'act-42',
      tenantId: 't-1',
    });
  });
});

describe('conversation reference', () => {
  it('saves a personal chat once, keyed by conversation, with the user and tenant', async () => {
    const saved: ConversationInput[] = [];
    const { adapter } = adapterWith(
      saveConversationReference(async (input) => void saved.push(input), logger),
    );
    const activity = fromTenant('t-1', {
      from: { id: '29:abc', name: 'Ada', aadObjectId: 'aad-1' },
      serviceUrl: 'https://smba.example/',
    });
    await adapter.processActivity({ ...activity });
    await adapter.processActivity({ ...activity });
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      conversationId: 'conv-1',
      conversationType: 'personal',
      tenantId: 't-1',
      userId: 'aad-1',
    });
    expect(saved[0]?.reference).toMatchObject({
      serviceUrl: 'https://smba.example/',
      conversation: { id: 'conv-1' },
    });
  });

  it('never blocks the request when saving fails', async () => {
    const { adapter, reached } = adapterWith(
      saveConversationReference(async () => Promise.reject(new Error('store down')), logger),
    );
    expect(await texts(adapter, fromTenant('t-1', { serviceUrl: 'https://x/' }))).toEqual(['ran']);
    expect(reached).toHaveLength(1);
  });
});
