import { performance } from 'node:perf_hooks';

/**
 * Admission of turns in arrival order when the bot is overloaded.
 *
 * Every turn is a chain of steps (parse, a database read, another, the reply to the Bot Connector), and
 * the event loop runs one step of every turn in flight per pass. With 50 turns in flight a pass takes
 * tens of milliseconds, so a turn with eight steps (Set Up Coupling) takes four times as long as one
 * with two (help), and the slowest users wait longest. While the event loop is saturated the gate lets a
 * few turns run and queues the rest first come, first served: each pass is short, and every user waits
 * about the same. Turns that mostly wait on I/O (the real Business Central and Dataverse answer in
 * hundreds of milliseconds) leave the loop idle, and the limit doubles each sample until they all run.
 */
export interface TurnGateOptions {
  /** Turns let through at once while the event loop is saturated (default 4). */
  min?: number;
  /** The most turns ever let through at once (default 1024). */
  max?: number;
  /** How often the event loop's utilization is sampled, in ms (default 20); 0 for no timer (tests). */
  sampleMs?: number;
  /** The event loop's utilization (0–1) since the last call; tests pass their own. */
  utilization?: () => number;
  /** Turns waiting at most (MAX_QUEUED_TURNS); one more is refused at once. Unbounded unless said. */
  maxQueued?: number;
  /** Turns running or waiting in one conversation at most (MAX_TURNS_PER_CONVERSATION). */
  maxPerConversation?: number;
}

/** The gate is full: the caller answers 503 with Retry-After (or "busy") at once, without queueing. */
export class GateFullError extends Error {
  override readonly name = 'GateFullError';
  constructor(readonly reason: 'queue' | 'conversation') {
    super(
      reason === 'queue'
        ? 'too many turns waiting'
        : 'too many turns running or waiting in this conversation',
    );
  }
}

export interface TurnGate {
  /**
   * Resolves when the turn may run, with the function to call once it is done (once is enough). Rejects
   * at once with GateFullError past a bound: the global queue, or the turns of `conversation`.
   */
  enter(conversation?: string): Promise<() => void>;
  /** Turns running now, turns waiting, and how many may run at once. */
  readonly running: number;
  readonly waiting: number;
  readonly limit: number;
  /** Samples the utilization and moves the limit (the timer calls it; tests call it directly). */
  adjust(): void;
  /** Stops the timer. Waiting turns are still let in as running ones finish. */
  close(): void;
}

/** At or above this the loop is saturated: halve the limit. Below IDLE with turns waiting: double it. */
const SATURATED = 0.95;
const IDLE = 0.8;

export function createTurnGate(options: TurnGateOptions = {}): TurnGate {
  const min = Math.max(1, options.min ?? 4);
  const max = Math.max(min, options.max ?? 1024);
  const utilization = options.utilization ?? eventLoopUtilization();
  const maxQueued = options.maxQueued ?? Infinity;
  const maxPerConversation = options.maxPerConversation ?? Infinity;
  let limit = min;
  let running = 0;
  const queue: Array<() => void> = [];
  /** Turns running or waiting per conversation; an entry goes when its count is back to 0. */
  const perConversation = new Map<string, number>();

  const admitWaiting = () => {
    while (running < limit && queue.length > 0) {
      running++;
      queue.shift()!();
    }
  };

  const ticket = (conversation: string | undefined) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      running--;
      if (conversation !== undefined) {
        const left = (perConversation.get(conversation) ?? 1) - 1;
        if (left > 0) perConversation.set(conversation, left);
        else perConversation.delete(conversation);
      }
      admitWaiting();
    };
  };

  const adjust = () => {
    const u = utilization();
    if (u >= SATURATED) limit = Math.max(min, Math.floor(limit / 2));
    else if (u < IDLE && queue.length > 0) limit = Math.min(max, limit * 2);
    admitWaiting();
  };

  const timer = options.sampleMs === 0 ? undefined : setInterval(adjust, options.sampleMs ?? 20);
  timer?.unref();

  return {
    enter(conversation) {
      if (conversation !== undefined) {
        const count = perConversation.get(conversation) ?? 0;
        if (count >= maxPerConversation) return Promise.reject(new GateFullError('conversation'));
      }
      const now = running < limit && queue.length === 0;
      if (!now && queue.length >= maxQueued) return Promise.reject(new GateFullError('queue'));
      if (conversation !== undefined)
        perConversation.set(conversation, (perConversation.get(conversation) ?? 0) + 1);
      if (now) {
        running++;
        return Promise.resolve(ticket(conversation));
      }
      return new Promise((resolve) => queue.push(() => resolve(ticket(conversation))));
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
    get limit() {
      return limit;
    },
    adjust,
    close() {
      if (timer) clearInterval(timer);
    },
  };
}

/** The share of wall time the event loop spent working since the previous call. */
function eventLoopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}
