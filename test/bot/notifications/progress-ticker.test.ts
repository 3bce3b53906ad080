import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CardMessenger } from '../../../bot/notifications/messenger.js';
import { createProgressTicker } from '../../../bot/notifications/progress-ticker.js';
import { runningCard } from '../../../bot/views/job-running.js';
import type { Reply } from '../../../bot/reply.js';
import { cardRefKey, createCardRefs } from '../../../core/conversations/card-refs.js';
import { createJobRepository } from '../../../core/jobs/job-repository.js';
import type { Timers } from '../../../core/scheduler/lease-scheduler.js';
import { FakeClock } from '../../kit/clock.js';
import { buttonsOf, cardText } from '../../support/bot-harness.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { captureLogs } from '../log-capture.js';

/** Timers the test fires by hand: it sees when the next tick is due. */
class ManualTimers implements Timers {
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    this.pending.set(this.next, { fn, ms });
    return this.next++;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** The delay of the one timer pending (a ticker waits on one timer at a time). */
  due(): number | undefined {
    return [...this.pending.values()][0]?.ms;
  }
  fire(): void {
    const [first] = this.pending.entries();
    if (!first) throw new Error('no timer pending');
    this.pending.delete(first[0]);
    first[1].fn();
  }
}

/** Copies of cards updated in place, in order, as Teams would show them. */
class RecordingMessenger implements CardMessenger {
  readonly updates: Array<{ conversationId: string; activityId: string; text: string; buttons: string[] }> =
    [];
  readonly sent: Reply[] = [];
  failing = new Set<string>();
  async send(_conversationId: string, reply: Reply): Promise<void> {
    this.sent.push(reply);
  }
  async update(conversationId: string, activityId: string, reply: Reply): Promise<void> {
    await this.updateInPlace(conversationId, activityId, reply);
  }
  async updateInPlace(conversationId: string, activityId: string, reply: Reply): Promise<boolean> {
    if (this.failing.has(conversationId)) return false;
    const card = reply.kind === 'card' ? reply.card : undefined;
    const buttons = buttonsOf(card).map((b) => b.title);
    this.updates.push({ conversationId, activityId, text: cardText(card), buttons });
    return true;
  }
}

let t: TestDb;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(() => t.cleanup());

const clock = FakeClock.at();
let timers: ManualTimers;
let messenger: RecordingMessenger;
let logs: ReturnType<typeof captureLogs>;

beforeEach(() => {
  timers = new ManualTimers();
  messenger = new RecordingMessenger();
  logs = captureLogs('warn');
});

function setUp() {
  const jobs = createJobRepository({ db: t.db, clock });
  const cardRefs = createCardRefs({ db: t.db, clock });
  const ticker = createProgressTicker({ jobs, cardRefs, messenger, logger: logs.logger, timers });
  return { jobs, cardRefs, ticker };
}

/** A running job whose card was sent to two conversations (a chat, and a channel it was shared to). */
async function runningJob(s: ReturnType<typeof setUp>) {
  const id = await s.jobs.start({
    mapping: 'CUSTOMER',
    type: 'Synchronization',
    direction: '',
    startedBy: 'Ada',
  });
  const key = cardRefKey('job', id);
  await s.cardRefs.remember({ key, conversationId: 'chat-1', activityId: 'a1' });
  await s.cardRefs.remember({ key, conversationId: 'channel-2', activityId: 'b7' });
  const stop = s.ticker.follow(key, id, (job) => runningCard(job, 'Full synchronization'));
  return { id, key, stop };
}

/** Fires the due tick and waits until it has done its work (the next one is due, or the ticker ended). */
async function tick(s: ReturnType<typeof setUp>): Promise<void> {
  timers.fire();
  await vi.waitFor(() => expect(timers.pending.size === 1 || s.ticker.size === 0).toBe(true));
}

const progressLines = () =>
  messenger.updates.map((u) => `${u.conversationId}: ${/\d[^\n]*records[^\n]*/.exec(u.text)?.[0]}`);

describe('the running card of a long job', () => {
  it('is updated in place on every copy after 2 s, then every 4 s, with the counters and a rising percentage', async () => {
    const s = setUp();
    const job = await runningJob(s);
    expect(timers.due()).toBe(2_000);
    await s.jobs.setTotal(job.id, 10_000);
    await s.jobs.progress(job.id, { modified: 1_000, inserted: 238, failed: 2 });
    await tick(s);
    expect(timers.due()).toBe(4_000);
    await s.jobs.progress(job.id, { modified: 3_760 });
    await tick(s);
    expect(progressLines()).toEqual([
      'chat-1: 1,240 of 10,000 records (12%) · inserted 238 · modified 1,000 · failed 2',
      'channel-2: 1,240 of 10,000 records (12%) · inserted 238 · modified 1,000 · failed 2',
      'chat-1: 5,000 of 10,000 records (50%) · inserted 238 · modified 4,760 · failed 2',
      'channel-2: 5,000 of 10,000 records (50%) · inserted 238 · modified 4,760 · failed 2',
    ]);
    expect(messenger.updates.map((u) => u.activityId)).toEqual(['a1', 'b7', 'a1', 'b7']);
    // Still the running card: Cancel stays on it.
    expect(messenger.updates[0]?.buttons).toEqual(['Cancel']);
    expect(messenger.sent).toEqual([]);
    await job.stop();
  });

  it('is left alone while nothing moved, and shows "so far" when the run cannot know its total', async () => {
    const s = setUp();
    const job = await runningJob(s);
    await s.jobs.progress(job.id, { unchanged: 40 });
    await tick(s);
    await tick(s);
    await tick(s);
    expect(progressLines()).toEqual([
      'chat-1: 40 records so far · inserted 0 · modified 0 · failed 0',
      'channel-2: 40 records so far · inserted 0 · modified 0 · failed 0',
    ]);
    await job.stop();
  });

  it('stops by itself once the job ended (the result replaces the card), leaving no timer behind', async () => {
    const s = setUp();
    const job = await runningJob(s);
    await s.jobs.progress(job.id, { modified: 5 });
    await s.jobs.finish(job.id, 'Finished', 'done');
    await tick(s);
    expect(messenger.updates).toEqual([]);
    expect(timers.pending.size).toBe(0);
    expect(s.ticker.size).toBe(0);
  });

  it('a copy that cannot be updated is logged once and left alone; the others are still updated', async () => {
    const s = setUp();
    const job = await runningJob(s);
    messenger.failing.add('chat-1');
    await s.jobs.progress(job.id, { modified: 7 });
    await tick(s);
    expect(progressLines()).toEqual(['channel-2: 7 records so far · inserted 0 · modified 7 · failed 0']);
    // Asked once: the next progress goes to the copies that can show it, and the log says it once.
    await s.jobs.progress(job.id, { modified: 1 });
    await tick(s);
    expect(progressLines()).toEqual([
      'channel-2: 7 records so far · inserted 0 · modified 7 · failed 0',
      'channel-2: 8 records so far · inserted 0 · modified 8 · failed 0',
    ]);
    const warned = logs.lines().filter((l) => l['msg'] === 'progress not shown on a copy');
    expect(warned).toEqual([expect.objectContaining({ conversationId: 'chat-1' })]);
    await job.stop();
  });

  it('stops at a cancel request (the clicked copy says "Cancelling…")', async () => {
    const s = setUp();
    const job = await runningJob(s);
    await s.jobs.progress(job.id, { modified: 7 });
    await s.jobs.requestCancel(job.id, { byId: 'x', byName: 'Ada' });
    await tick(s);
    expect(messenger.updates).toEqual([]);
    await job.stop();
  });

  it('one ticker per job; stopping waits for the update in flight; shutdown stops every ticker', async () => {
    const s = setUp();
    const first = await runningJob(s);
    const again = s.ticker.follow(first.key, first.id, (job) => runningCard(job, 'again'));
    expect(s.ticker.size).toBe(1);
    expect(timers.pending.size).toBe(1);
    await s.jobs.progress(first.id, { inserted: 3 });
    timers.fire();
    await again();
    // The update that was in flight has landed; nothing is scheduled after it.
    expect(messenger.updates).toHaveLength(2);
    expect(timers.pending.size).toBe(0);

    const other = await runningJob(s);
    const third = await runningJob(s);
    expect(s.ticker.size).toBe(2);
    await s.ticker.stopAll();
    expect(s.ticker.size).toBe(0);
    expect(timers.pending.size).toBe(0);
    await Promise.all([other.stop(), third.stop()]);
  });
});
