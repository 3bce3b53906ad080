import type { Activity } from 'botbuilder';
import { createCardSeal } from '../../../bot/card-seal.js';
import type { AdaptiveCard } from '../../../bot/reply.js';
import { cardOf, cardText } from '../../support/bot-harness.js';
import { startHttpBot, type HttpBot } from '../../bot/http-bot.js';
import { ADA, teamsExecute, teamsMessage, type TeamsUser } from '../../bot/teams-activity.js';
import { snapshotAll, type Snapshot } from './snapshot.js';

/**
 * The whole bot over HTTP (restify, CloudAdapter, middleware, core on a test database) with a known
 * card-seal key, so the corpus can also re-seal hostile card data: that plays an attacker who got past
 * the seal, and shows the next lines of defence (each action's schema, then core) hold on their own.
 */
export const SEAL_SECRET = 'hostile-corpus-seal-key';

export interface Answer {
  status: number;
  /** What the user reads: texts and card texts, joined. */
  text: string;
  /** Cards in the answer (invoke response and messages). */
  cards: unknown[];
}

export interface CorpusBot {
  http: HttpBot;
  say(text: string, user?: TeamsUser): Promise<Answer>;
  /** Sends any activity as it is; the answer is whatever reached the connector. */
  send(activity: unknown): Promise<Answer>;
  execute(verb: string, data: Record<string, unknown>, user?: TeamsUser): Promise<Answer>;
  /** `data` signed with the bot's real key, as a card the bot sent would carry it. */
  reseal(verb: string, data: Record<string, unknown>): Record<string, unknown>;
  snapshot(): Promise<Snapshot>;
  close(): Promise<void>;
}

const textOf = (a: Partial<Activity>) => a.text ?? cardText(cardOf(a));

export async function startCorpusBot(env: Record<string, string> = {}): Promise<CorpusBot> {
  const http = await startHttpBot({ env: { MicrosoftAppPassword: SEAL_SECRET, ...env } });
  const seal = createCardSeal(SEAL_SECRET);
  const teams = (user: TeamsUser) => ({ serviceUrl: http.connector.serviceUrl, user });

  const send = async (activity: unknown): Promise<Answer> => {
    http.connector.clear();
    const res = await http.post(activity);
    const raw = await res.text();
    const body = raw.startsWith('{') ? (JSON.parse(raw) as { value?: unknown }) : undefined;
    const messages = http.connector.messages();
    const invokeValue = body?.value;
    const invokeText =
      invokeValue === undefined
        ? []
        : [typeof invokeValue === 'string' ? invokeValue : cardText(invokeValue)];
    return {
      status: res.status,
      text: [...invokeText, ...messages.map(textOf)].join('\n---\n'),
      cards: [
        ...(invokeValue !== undefined && typeof invokeValue === 'object' ? [invokeValue] : []),
        ...messages.map(cardOf).filter((c) => c !== undefined),
      ],
    };
  };

  return {
    http,
    send,
    say: (text, user = ADA) => send(teamsMessage(text, teams(user))),
    execute: (verb, data, user = ADA) => send(teamsExecute(verb, data, teams(user))),
    reseal(verb, data) {
      const card = {
        type: 'AdaptiveCard',
        actions: [{ type: 'Action.Execute', verb, data }],
      } as AdaptiveCard;
      const sealed = seal.seal(card) as unknown as { actions: Array<{ data: Record<string, unknown> }> };
      return sealed.actions[0]?.data ?? {};
    },
    snapshot: () => snapshotAll(http.db.db),
    close: () => http.close(),
  };
}

/** The bot's short apology for a bug: never an acceptable answer to bad input. */
export const APOLOGY = /something went wrong/i;
