import {
  TestAdapter,
  TurnContext,
  type Activity,
  type Attachment,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { installTurnErrorHandler } from '../../../bot/adapter.js';
import type { ComposedBot, ComposeOptions } from '../../../bot/composition/compose-bot.js';
import { testRoster } from '../../support/roster.js';
import { proactiveVia } from '../../../bot/notifications/proactive.js';
import { ensureSandboxIndexes } from '../../../connectors/sandbox/seed.js';
import { cardOf, type CardButton } from '../../support/bot-harness.js';
import type { TestDb } from '../../support/test-mongo.js';
import { captureLogs } from '../log-capture.js';
import {
  ADA,
  BEN,
  TENANT,
  teamsExecute,
  teamsMessage,
  teamsSubmit,
  type TeamsUser,
} from '../teams-activity.js';
import { FakeClock } from '../../kit/clock.js';
import { bootBot } from '../../kit/bot.js';

type Logic = (context: TurnContext) => Promise<void>;

/**
 * botbuilder's TestAdapter, plus what a proactive message needs (continueConversationAsync, which
 * TestAdapter lacks) and a record of everything sent and updated, in every conversation.
 */
export class ChatAdapter extends TestAdapter {
  readonly sent: Array<Partial<Activity>> = [];
  readonly updates: Array<Partial<Activity>> = [];
  /** Makes updateActivity fail, as a channel that cannot update (or a deleted card) does. */
  failUpdates = false;

  override async sendActivities(
    context: TurnContext,
    activities: Array<Partial<Activity>>,
  ): Promise<ResourceResponse[]> {
    const responses = await super.sendActivities(context, activities);
    this.sent.push(...activities.filter((a) => a.type !== 'invokeResponse'));
    return responses;
  }

  override async updateActivity(
    context: TurnContext,
    activity: Partial<Activity>,
  ): Promise<ResourceResponse | void> {
    if (this.failUpdates) throw new Error('This channel cannot update that message.');
    this.updates.push(activity);
    return super.updateActivity(context, activity);
  }

  override async continueConversationAsync(
    _botAppIdOrClaimsIdentity: unknown,
    reference: Partial<ConversationReference>,
    logicOrAudience: Logic | string,
    maybeLogic?: Logic,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new Error('continueConversationAsync without logic');
    const event = TurnContext.applyConversationReference(
      { type: 'event', name: 'ContinueConversation' },
      reference,
      true,
    );
    await this.runMiddleware(new TurnContext(this, event), logic);
  }
}

/** A clock that follows real time, moved forward when a test needs "later". */
export interface Turn {
  /** What the bot sent in the turn (messages; the invoke response is `body`). */
  messages: Array<Partial<Activity>>;
  /** Card of the first message, or of the invoke response. */
  card: Record<string, unknown> | undefined;
  /** Id of the first message: where its card lives, for clicks (replyToId). */
  id: string | undefined;
  body: { statusCode: number; type: string; value: unknown } | undefined;
}

export interface SyncHarness {
  bot: ComposedBot;
  db: TestDb;
  adapter: ChatAdapter;
  clock: FakeClock;
  logs: ReturnType<typeof captureLogs>['lines'];
  say(text: string, user?: TeamsUser): Promise<Turn>;
  /** A message with attachments (a CSV file for import). */
  sayWith(text: string, attachments: Attachment[], user?: TeamsUser): Promise<Turn>;
  /** Action.Execute of a button on the card shown by message `cardId` (replyToId). */
  click(
    button: CardButton,
    cardId?: string,
    inputs?: Record<string, unknown>,
    user?: TeamsUser,
  ): Promise<Turn>;
  /** The Action.Submit fallback of a button (clients without universal actions). */
  submit(
    button: CardButton,
    cardId: string,
    inputs?: Record<string, unknown>,
    user?: TeamsUser,
  ): Promise<Turn>;
  /** Everything the bot sent to a conversation since `from` (an index into adapter.sent). */
  sentTo(conversationId: string, from?: number): Array<Partial<Activity>>;
  /** Waits for background jobs (and the update of their cards). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const SERVICE_URL = 'https://smba.example.test/teams/';
export const personalChat = (user: TeamsUser): string => `a:personal-${user.aadObjectId}`;

/**
 * The whole bot (core services on a test database, middleware, proactive messages through the
 * adapter) on a TestAdapter. Ada is a manager, Ben is not.
 */
export async function startSyncHarness(
  options: {
    env?: Record<string, string>;
    /** The real HTTP connectors' fetch and retry timings (with the BC, DATAVERSE and AZURE variables in env). */
    http?: Pick<ComposeOptions, 'fetch' | 'httpRetry'>;
    /** When and how often running jobs' cards show their counters (2 s, then every 4 s, unless said). */
    progress?: ComposeOptions['progress'];
    /** Records per synchronization batch (1000 unless said). */
    syncBatchSize?: number;
    /** Rows per stored page of a match run (500 unless said). */
    matchStoredPageSize?: number;
  } = {},
): Promise<SyncHarness> {
  const clock = FakeClock.running();
  const { bot, db, capture, config } = await bootBot({
    ...(options.env ? { env: options.env } : {}),
    clock,
    indexes: true,
    compose: {
      ...options.http,
      roster: testRoster(),
      ...(options.progress ? { progress: options.progress } : {}),
      ...(options.syncBatchSize ? { syncBatchSize: options.syncBatchSize } : {}),
      ...(options.matchStoredPageSize ? { matchStoredPageSize: options.matchStoredPageSize } : {}),
      // The adapter is created below, with the bot's logic; by the time a job finishes, it exists.
      proactive: (reference, logic) => proactiveVia(adapter, config.MicrosoftAppId)(reference, logic),
    },
  });
  await ensureSandboxIndexes(db.db);
  const adapter = new ChatAdapter(bot.logic);
  for (const m of bot.middleware) adapter.use(m);
  installTurnErrorHandler(adapter, capture.logger);

  const run = async (activity: Partial<Activity>): Promise<Turn> => {
    adapter.activeQueue.splice(0);
    await adapter.processActivity(activity);
    const out = [...adapter.activeQueue];
    const response = out.find((a) => a.type === 'invokeResponse');
    const body = (response?.value as { body?: Turn['body'] } | undefined)?.body;
    const messages = out.filter((a) => a.type === 'message');
    const card = body ? (body.value as Record<string, unknown>) : cardOf(messages[0]);
    return { messages, card, id: messages[0]?.id, body };
  };
  const opts = (user: TeamsUser, replyToId?: string) => ({
    serviceUrl: SERVICE_URL,
    user,
    tenantId: TENANT,
    ...(replyToId ? { replyToId } : {}),
  });

  return {
    bot,
    db,
    adapter,
    clock,
    logs: capture.lines,
    say: (text, user = BEN) => run(teamsMessage(text, opts(user))),
    sayWith: (text, attachments, user = BEN) => run({ ...teamsMessage(text, opts(user)), attachments }),
    click: (b, cardId, inputs = {}, user = BEN) =>
      run(teamsExecute(b.verb, { ...b.data, ...inputs }, opts(user, cardId))),
    submit: (b, cardId, inputs = {}, user = BEN) =>
      run(teamsSubmit({ ...b.data, ...inputs }, opts(user, cardId))),
    sentTo: (conversationId, from = 0) =>
      adapter.sent.slice(from).filter((a) => a.conversation?.id === conversationId),
    settle: () => bot.background.idle(),
    async close() {
      await bot.runtime.stop();
      await bot.background.idle();
      await db.cleanup();
    },
  };
}

/** Everything left from an earlier test: demo data, couplings, jobs, errors, remembered cards. */
export async function freshSandbox(h: SyncHarness): Promise<void> {
  await h.settle();
  await h.say('sandbox reset', ADA);
  for (const name of ['jobs', 'syncErrors', 'cardRefs', 'leases'])
    await h.db.db.collection(name).deleteMany({});
  await h.db.db
    .collection('mappings')
    .updateMany({}, { $set: { lastSyncedBcModifiedOn: null, lastSyncedDvModifiedOn: null } });
}
