import { TestAdapter, type Activity, type ResourceResponse, type TurnContext } from 'botbuilder';
import { installTurnErrorHandler } from '../../bot/adapter.js';
import type { ComposedBot, ComposeOptions } from '../../bot/composition/compose-bot.js';
import type { Clock } from '../../core/ports/clock.js';
import { captureLogs } from '../bot/log-capture.js';
import {
  BEN,
  TENANT,
  teamsExecute,
  teamsMessage,
  teamsSubmit,
  type TeamsUser,
} from '../bot/teams-activity.js';
import type { TestDb } from './test-mongo.js';
import { bootBot } from '../kit/bot.js';
import { testRoster } from './roster.js';

/** Records card updates (Action.Submit fallbacks) instead of only replacing queued activities. */
class RecordingTestAdapter extends TestAdapter {
  readonly updates: Array<Partial<Activity>> = [];
  override async updateActivity(
    context: TurnContext,
    activity: Partial<Activity>,
  ): Promise<ResourceResponse | void> {
    this.updates.push(activity);
    return super.updateActivity(context, activity);
  }
}

export interface CardButton {
  title: string;
  verb: string;
  data: Record<string, unknown>;
}

export interface BotHarness {
  bot: ComposedBot;
  db: TestDb;
  adapter: RecordingTestAdapter;
  logs: ReturnType<typeof captureLogs>['lines'];
  /** The user types `text`; returns what the bot sent in that turn. */
  say(text: string, user?: TeamsUser): Promise<Array<Partial<Activity>>>;
  /** Action.Execute of a button; returns the invoke response body and any messages sent after it. */
  click(button: CardButton, inputs?: Record<string, unknown>, user?: TeamsUser): Promise<InvokeResult>;
  /** Raw Action.Execute with arbitrary (possibly forged) data. */
  execute(verb: string, data: Record<string, unknown>, user?: TeamsUser): Promise<InvokeResult>;
  /** Action.Submit fallback of a button on the card sent as `replyToId`. */
  submit(
    button: CardButton,
    replyToId: string,
    inputs?: Record<string, unknown>,
    user?: TeamsUser,
  ): Promise<SubmitResult>;
  close(): Promise<void>;
}

export interface InvokeResult {
  status: number | undefined;
  body: { statusCode: number; type: string; value: unknown } | undefined;
  messages: Array<Partial<Activity>>;
}
export interface SubmitResult {
  updates: Array<Partial<Activity>>;
  messages: Array<Partial<Activity>>;
}

/** The adaptive card of an activity (first attachment), or undefined for text. */
export function cardOf(activity: Partial<Activity> | undefined): Record<string, unknown> | undefined {
  return activity?.attachments?.[0]?.content as Record<string, unknown> | undefined;
}

/** Every Action.Execute on a card, as a client would offer them. */
export function buttonsOf(card: unknown): CardButton[] {
  const found: CardButton[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute') {
      found.push({
        title: String(n.title),
        verb: String(n.verb),
        data: (n.data ?? {}) as Record<string, unknown>,
      });
    }
    Object.entries(n).forEach(([k, v]) => k !== 'fallback' && walk(v));
  };
  walk(card);
  return found;
}

export function button(card: unknown, title: string, index = 0): CardButton {
  const matches = buttonsOf(card).filter((b) => b.title === title);
  const b = matches[index];
  if (!b)
    throw new Error(
      `No button "${title}" #${index} on the card; buttons: ${buttonsOf(card)
        .map((x) => x.title)
        .join(', ')}`,
    );
  return b;
}

/** All text of a card (TextBlocks, facts), joined: what a reader would see. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    if (typeof n.text === 'string') out.push(n.text);
    if (typeof n.title === 'string' && typeof n.value === 'string') out.push(`${n.title}: ${n.value}`);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return out.join('\n');
}

const SERVICE_URL = 'https://smba.example.test/teams/';

/**
 * The whole bot (real core services on a test database, real middleware) on botbuilder's TestAdapter.
 * Ada is a manager, Ben is not.
 */
export async function startBotHarness(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    /** The real HTTP connectors' fetch and retry timings (with the BC, DATAVERSE and AZURE variables in env). */
    http?: Pick<ComposeOptions, 'fetch' | 'httpRetry' | 'telemetry'>;
  } = {},
): Promise<BotHarness> {
  const { bot, db, capture } = await bootBot({
    ...(options.env ? { env: options.env } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    // TestAdapter has no Bot Connector to ask for the roster: the test tenant's users are it.
    compose: { roster: testRoster(), ...options.http },
  });
  const adapter = new RecordingTestAdapter(bot.logic);
  for (const m of bot.middleware) adapter.use(m);
  installTurnErrorHandler(adapter, capture.logger);

  const run = async (activity: Partial<Activity>) => {
    adapter.activeQueue.splice(0);
    adapter.updates.splice(0);
    await adapter.processActivity(activity);
    return [...adapter.activeQueue];
  };
  const opts = (user: TeamsUser, replyToId?: string) => ({
    serviceUrl: SERVICE_URL,
    user,
    tenantId: TENANT,
    replyToId,
  });
  const invoke = async (
    verb: string,
    data: Record<string, unknown>,
    user: TeamsUser,
  ): Promise<InvokeResult> => {
    const sent = await run(teamsExecute(verb, data, opts(user)));
    const response = sent.find((a) => a.type === 'invokeResponse');
    const value = response?.value as { status?: number; body?: InvokeResult['body'] } | undefined;
    return { status: value?.status, body: value?.body, messages: sent.filter((a) => a.type === 'message') };
  };

  return {
    bot,
    db,
    adapter,
    logs: capture.lines,
    say: (text, user = BEN) => run(teamsMessage(text, opts(user))),
    click: (b, inputs = {}, user = BEN) => invoke(b.verb, { ...b.data, ...inputs }, user),
    execute: (verb, data, user = BEN) => invoke(verb, data, user),
    async submit(b, replyToId, inputs = {}, user = BEN) {
      const messages = await run(teamsSubmit({ ...b.data, ...inputs }, opts(user, replyToId)));
      return { updates: [...adapter.updates], messages };
    },
    close: () => db.cleanup(),
  };
}
