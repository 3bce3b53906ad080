import { replyForError } from '../errors.js';
import { cardReply, type Replies, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import { showResult } from '../notifications/progress.js';
import type { TurnRequest } from '../turn.js';

type Settled<T> = { state: 'value'; value: T } | { state: 'error'; error: unknown } | { state: 'pending' };

/** How `work` stands after `ms` (at once for 0; waits for the end when `ms` is Infinity). */
async function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  const settled = work.then(
    (value): Settled<T> => ({ state: 'value', value }),
    (error: unknown): Settled<T> => ({ state: 'error', error }),
  );
  if (ms === Infinity) return settled;
  if (ms <= 0) return { state: 'pending' };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>(
    (resolve) => (timer = setTimeout(resolve, ms, { state: 'pending' })),
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SlowWork<T> {
  work: Promise<T>;
  /** The progress card answered at once when `work` takes longer than the threshold. */
  progress(): Reply;
  /** What to show when done: the first reply replaces the clicked card, the others follow as messages. */
  done(result: T): Promise<Reply[]>;
  /** Follow-ups once the result is shown, with the activity id of the message that shows it. */
  after?(result: T, shownAs: string | undefined): Promise<void>;
}

/**
 * Answers a card click with the result when it is ready within MATCH_PROGRESS_AFTER_MS (~2 s);
 * otherwise with a progress card at once, replaced in place by the result when the work is done
 * (Teams gives an invoke only seconds). Without a messenger nothing can be updated later, so the
 * answer then waits for the result.
 */
export async function answerInTime<T>(
  turn: TurnRequest,
  services: BotServices,
  slow: SlowWork<T>,
): Promise<Replies> {
  const { messenger, background, progressAfterMs } = services.match;
  const settled = await settleWithin(slow.work, messenger ? progressAfterMs : Infinity);
  if (settled.state === 'error') throw settled.error;
  if (settled.state === 'value') {
    const replies = await slow.done(settled.value);
    const after = slow.after;
    if (after) background.track('match follow-up', after(settled.value, turn.replyToId));
    return replies;
  }
  background.track('match result', finishLater(turn, services, slow));
  return slow.progress();
}

async function finishLater<T>(turn: TurnRequest, services: BotServices, slow: SlowWork<T>): Promise<void> {
  const messenger = services.match.messenger;
  const conversationId = turn.actor.conversationId;
  if (!messenger || !conversationId) return;
  let result: { value: T } | undefined;
  let replies: Reply[];
  try {
    result = { value: await slow.work };
    replies = await slow.done(result.value);
  } catch (e) {
    replies = [replyForError(e, turn)];
  }
  const [first, ...rest] = replies;
  const shownAs = first?.kind === 'card' ? turn.replyToId : undefined;
  // The clicked card shows the progress; without its message id the result comes as a new message
  // (remembered if it says so). In place, the caller's `after` remembers the copy.
  const copies = shownAs ? [{ conversationId, activityId: shownAs }] : [];
  const toShow = first?.kind === 'card' && shownAs ? [cardReply(first.card), ...rest] : replies;
  await showResult(messenger, { conversationId, copies }, toShow);
  if (result && slow.after) await slow.after(result.value, shownAs);
}
