import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../connectors/sandbox/generator.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';
import { FakeClock } from '../kit/clock.js';
import { CAROL } from '../bot/match/support/world.js';
import { inputsOf } from '../bot/match/support/match-harness.js';
import { ADA, BEN, teamsExecute, teamsMessage, type TeamsUser } from '../bot/teams-activity.js';
import { button, buttonsOf, cardOf, cardText } from '../support/bot-harness.js';
import {
  startLoopbackConnector,
  type ConnectorCall,
  type LoopbackConnector,
} from '../support/loopback-connector.js';
import { startBot, type RunningBot } from '../kit/process.js';

/**
 * Scale-out, shown: two bot processes (`node --import tsx bot/main.ts`, as `npm start`) on one
 * database — the embedded server run on its own, as `npm run db` does — behind one loopback Bot
 * Connector. What a user sends to either instance works as on one: the schedule runs each interval
 * once, an approval clicked on both at once applies once, a job started on one is seen from the
 * other and cancelled from it, and a card updated from either stays one card (updated in place,
 * never sent twice).
 */
const SCHEDULER = 'Scheduled synchronization';
let mongo: EmbeddedMongo;
let dataDir: string;
let client: MongoClient;
let db: Db;
let connector: LoopbackConnector;
let bots: RunningBot[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'coupling-scale-out-'));
  mongo = await startEmbeddedMongo({ dbPath: dataDir, port: 0 });
  client = await MongoClient.connect(mongo.uri);
  db = client.db('scale_out');
  connector = await startLoopbackConnector();
  const env = {
    MONGODB_URI: mongo.uri,
    MONGODB_DB: 'scale_out',
    MANAGER_AAD_OBJECT_IDS: `${ADA.aadObjectId},${CAROL.aadObjectId}`,
    SYNC_INTERVAL_MINUTES: '1',
    MATCH_PROGRESS_AFTER_MS: '60000',
    RATE_LIMIT_PER_MINUTE: '0',
  };
  bots = await Promise.all([startBot({ env }), startBot({ env })]);
}, 180_000);

afterAll(async () => {
  await Promise.all(bots.map((b) => b.stop()));
  await connector?.close();
  await client?.close();
  await mongo?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function post(bot: RunningBot, activity: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(bot.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const say = (bot: RunningBot, text: string, user: TeamsUser) =>
  post(bot, teamsMessage(text, { serviceUrl: connector.serviceUrl, user }));

/** The last reply the connector got in `user`'s personal chat. */
const lastReplyTo = (user: TeamsUser) =>
  connector.calls.filter(
    (c): c is Extract<ConnectorCall, { kind: 'send' | 'reply' }> =>
      (c.kind === 'send' || c.kind === 'reply') && c.conversationId === `a:personal-${user.aadObjectId}`,
  );

/** Messages (not updates) the connector got after the first `from` calls. */
const messagesSince = (from: number) =>
  connector.calls
    .slice(from)
    .filter(
      (c): c is Extract<ConnectorCall, { kind: 'send' | 'reply' }> => c.kind === 'send' || c.kind === 'reply',
    );

async function eventually<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('two instances on one database', () => {
  it('run each scheduled interval once, whichever instance claims it', async () => {
    const mappings = await db.collection('mappings').countDocuments();
    const slotsDone = async (intervals: number) => {
      const slots = await db
        .collection('leases')
        .find({ status: { $ne: 'running' } })
        .toArray();
      const starts = new Set(slots.map((s) => (s.slotStart as Date).toISOString()));
      return starts.size >= intervals && slots.length === mappings * starts.size ? slots : undefined;
    };
    // Both instances ran the current interval at start-up; the next boundary comes within a minute.
    const slots = await eventually('two intervals run', 100_000, () => slotsDone(2));
    const instances = new Set(bots.map((b) => `:${b.process.child.pid}`));
    for (const slot of slots)
      expect([...instances].some((pid) => String(slot.owner).endsWith(pid))).toBe(true);

    const jobs = await db.collection('jobs').find({ startedBy: SCHEDULER }).toArray();
    const perRun = new Map<string, number>();
    for (const job of jobs) {
      const minute = new Date(job.startedAt as Date);
      minute.setUTCSeconds(0, 0);
      const key = `${job.mapping}|${job.direction}|${minute.toISOString()}`;
      perRun.set(key, (perRun.get(key) ?? 0) + 1);
    }
    expect(jobs.length).toBeGreaterThan(0);
    expect([...perRun.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('show a job started on one instance in `status` on the other', async () => {
    const [a, b] = bots as [RunningBot, RunningBot];
    await say(a!, 'sync customers all', ADA);
    const started = await eventually(
      'the job',
      30_000,
      async () =>
        (await db.collection('jobs').findOne({ mapping: 'CUSTOMER', startedBy: ADA.name })) ?? undefined,
    );
    connector.clear();
    await say(b!, 'status customers', ADA);
    const status = cardText(cardOf(lastReplyTo(ADA).at(-1)?.activity));
    expect(status).toContain('Ada');
    expect(status).toContain(String(started.type));
  }, 60_000);

  it('apply an approval clicked on both at once exactly once, and keep every copy of the card one card', async () => {
    const [a, b] = bots as [RunningBot, RunningBot];
    // The managers have talked to the bot (through either instance), so their chats are known.
    await say(a!, 'help', ADA);
    await say(b!, 'help', CAROL);
    connector.clear();
    await say(a!, 'match customers', BEN);
    const criteria = lastReplyTo(BEN).at(-1)!;
    const run = button(cardOf(criteria.activity), 'Run');
    await post(
      a!,
      teamsExecute(
        run.verb,
        { ...run.data, ...inputsOf(cardOf(criteria.activity)) },
        { serviceUrl: connector.serviceUrl, user: BEN, replyToId: criteria.id },
      ),
    );
    // Instance A posted a copy with the decision buttons to each manager.
    const copyFor = (user: TeamsUser) =>
      eventually(`${user.name}’s copy`, 30_000, async () =>
        lastReplyTo(user).find((c) => buttonsOf(cardOf(c.activity)).some((x) => x.title === 'Approve all')),
      );
    const adaCopy = await copyFor(ADA);
    const carolCopy = await copyFor(CAROL);
    const sentBefore = connector.calls.length;

    const approve = (bot: RunningBot, user: TeamsUser, copy: typeof adaCopy) => {
      const all = button(cardOf(copy.activity), 'Approve all');
      return post(
        bot,
        teamsExecute(all.verb, all.data, { serviceUrl: connector.serviceUrl, user, replyToId: copy.id }),
      );
    };
    const answers = await Promise.all([approve(b!, ADA, adaCopy), approve(a!, CAROL, carolCopy)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);

    const couplings = await db.collection('couplings').find({ mapping: 'CUSTOMER' }).toArray();
    // The sandbox proposes Adatum and Trey Research: each coupled once, by one Coupling job.
    expect(couplings).toHaveLength(2);
    const coupled = new Set(couplings.map((c) => c.dvId));
    expect(coupled.size).toBe(couplings.length);
    const approvals = await db.collection('jobs').find({ mapping: 'CUSTOMER', type: 'Coupling' }).toArray();
    expect(approvals).toHaveLength(1);
    const texts = answers.map((r) => cardText((r.body as { value?: unknown }).value));
    expect(texts.filter((t) => /Approved by (Ada|Carol)/.test(t))).toHaveLength(2);

    // Whoever lost is told who won, in a short text; no card was sent a second time.
    const late = await eventually('the late click’s notice', 30_000, async () =>
      messagesSince(sentBefore).find((c) => /already approved by/.test(String(c.activity.text ?? ''))),
    );
    expect(late).toBeDefined();
    // (Other work may still post to these chats; no match card may be posted again.)
    const newCards = messagesSince(sentBefore).filter((c) =>
      /Match-Based Coupling/.test(cardText(cardOf(c.activity))),
    );
    expect(newCards).toEqual([]);

    // Every copy — Ben's, Ada's, Carol's, whichever instance had sent it — was updated in place. The
    // winning click's own copy was replaced by its invoke answer ("Approved by …", checked above); it
    // is updated again only when the late click finds the run already applied, which is a race.
    const winner = late.conversationId === `a:personal-${ADA.aadObjectId}` ? carolCopy : adaCopy;
    await eventually('the copies updated', 30_000, async () => {
      const updated = new Set(connector.updates().map((u) => u.activityId));
      return (
        [criteria.id, adaCopy.id, carolCopy.id].every((id) => id === winner.id || updated.has(id)) ||
        undefined
      );
    });
    for (const u of connector
      .updates()
      .filter((x) => [criteria.id, adaCopy.id, carolCopy.id].includes(x.activityId)))
      expect(buttonsOf(cardOf(u.activity))).toEqual([]);
  }, 120_000);

  it('cancel from one instance a job running on the other: its runner stops, both show Cancelled', async () => {
    const [a, b] = bots as [RunningBot, RunningBot];
    // Customers nobody has coupled yet, last modified long ago (so the schedule's Synchronize Modified
    // Records leaves them alone): a full synchronization creates their accounts, a batch at a time.
    const customers = 2500;
    await generateSynthetic(db, {
      customers,
      accounts: 0,
      numberPrefix: 'X',
      clock: FakeClock.at(Date.UTC(2020, 0, 1)),
    });
    await say(a, 'mapping customers sync-only-coupled off', ADA);
    const coupledBefore = await db.collection('couplings').countDocuments({ mapping: 'CUSTOMER' });
    connector.clear();
    await say(a, 'sync customers all', ADA);
    const running = await eventually('the running card', 30_000, async () =>
      lastReplyTo(ADA).find((c) => /Running…/.test(cardText(cardOf(c.activity)))),
    );
    const jobId = /Job: ([0-9a-f-]{36})/.exec(cardText(cardOf(running.activity)))?.[1] ?? '';
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    await eventually('the first batch', 60_000, async () => {
      const job = await db.collection('jobs').findOne({ id: jobId });
      return ((job?.['counters'] as { inserted?: number } | undefined)?.inserted ?? 0) > 0 || undefined;
    });

    connector.clear();
    await say(b, `cancel job ${jobId}`, ADA);
    expect(cardText(cardOf(lastReplyTo(ADA).at(-1)?.activity))).toMatch(/Cancelling…/);

    const ended = await eventually('the job to stop', 60_000, async () => {
      const job = await db.collection('jobs').findOne({ id: jobId });
      return job?.['status'] === 'Running' ? undefined : job;
    });
    expect(ended?.['status']).toBe('Cancelled');
    expect(String(ended?.['message'])).toMatch(/^Cancelled by Ada Manager at .* UTC\./);
    const inserted = (ended?.['counters'] as { inserted: number }).inserted;
    expect(inserted).toBeGreaterThan(0);
    expect(inserted).toBeLessThan(customers);
    // Stopped at a batch boundary on A: every counted insert is coupled, nothing half-written.
    expect(await db.collection('couplings').countDocuments({ mapping: 'CUSTOMER' })).toBe(
      coupledBefore + inserted,
    );
    // A updated its running card in place with the Cancelled result.
    await eventually(
      'the running card updated',
      30_000,
      async () =>
        connector
          .updates()
          .some(
            (u) => u.activityId === running.id && /Cancelled by Ada/.test(cardText(cardOf(u.activity))),
          ) || undefined,
    );
    for (const bot of [a, b]) {
      connector.clear();
      await say(bot, 'status customers', ADA);
      const status = cardText(cardOf(lastReplyTo(ADA).at(-1)?.activity));
      expect(status).toContain(`job ${jobId}`);
      expect(status).toMatch(/\nCancelled\n/);
    }
    await say(a, 'mapping customers sync-only-coupled on', ADA);
  }, 180_000);
});
