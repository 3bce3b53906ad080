import type { Activity } from 'botbuilder';
import { Verb } from '../../../../cards/index.js';
import {
  button,
  cardOf,
  cardText,
  startBotHarness,
  type BotHarness,
  type InvokeResult,
} from '../../../support/bot-harness.js';
import { TENANT, teamsExecute, teamsMessage, type TeamsUser } from '../../teams-activity.js';
import { FakeClock } from '../../../kit/clock.js';

export const SERVICE_URL = 'https://smba.example.test/teams/';
export const START = new Date('2025-03-03T09:00:00Z');

/** A clock the test moves (run expiry); never the wall clock. */
export interface MatchHarness extends BotHarness {
  clock: FakeClock;
  /** Action.Execute as Teams sends it, with the clicked card's message id; waits for follow-ups. */
  invoke(
    verb: string,
    data: Record<string, unknown>,
    user: TeamsUser,
    replyToId?: string,
  ): Promise<InvokeResult>;
  /** A message with attachments (import). */
  sayWith(
    text: string,
    attachments: Activity['attachments'],
    user: TeamsUser,
  ): Promise<Array<Partial<Activity>>>;
  /** Every follow-up started by the turns so far has finished. */
  idle(): Promise<void>;
  couplings(): Promise<Array<{ bcNumber: string; dvId: string }>>;
}

/** The whole bot on botbuilder's TestAdapter (no proactive messaging: answers wait for the result). */
export async function startMatchHarness(env: Record<string, string> = {}): Promise<MatchHarness> {
  const clock = FakeClock.at(START);
  const h = await startBotHarness({ env, clock });
  const opts = (user: TeamsUser, replyToId?: string) => ({
    serviceUrl: SERVICE_URL,
    user,
    tenantId: TENANT,
    replyToId,
  });
  const run = async (activity: Partial<Activity>) => {
    h.adapter.activeQueue.splice(0);
    await h.adapter.processActivity(activity);
    return [...h.adapter.activeQueue];
  };
  return {
    ...h,
    clock,
    async invoke(verb, data, user, replyToId) {
      const sent = await run(teamsExecute(verb, data, opts(user, replyToId)));
      await h.bot.services.match.background.idle();
      const response = sent.find((a) => a.type === 'invokeResponse');
      const value = response?.value as { status?: number; body?: InvokeResult['body'] } | undefined;
      return { status: value?.status, body: value?.body, messages: sent.filter((a) => a.type === 'message') };
    },
    sayWith: (text, attachments, user) => run({ ...teamsMessage(text, opts(user)), attachments }),
    idle: () => h.bot.services.match.background.idle(),
    async couplings() {
      const docs = await h.db.db
        .collection('couplings')
        .find({ mapping: 'CUSTOMER' }, { projection: { _id: 0, bcNumber: 1, dvId: 1 } })
        .sort({ bcNumber: 1 })
        .toArray();
      return docs.map((d) => ({ bcNumber: String(d.bcNumber), dvId: String(d.dvId) }));
    },
  };
}

/** The card an invoke answered with (it replaces the clicked one). */
export const answered = (r: InvokeResult): unknown => r.body?.value;
export const answeredText = (r: InvokeResult): string => cardText(r.body?.value);
export const messagesText = (r: InvokeResult): string =>
  r.messages.map((m) => m.text ?? cardText(cardOf(m))).join('\n');

/** Every input of a card with the value it shows, as a client submits them (all as text). */
export function inputsOf(card: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string')
      found[n.id] = n.value === undefined ? '' : String(n.value);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

/** `match customers`, then Run on the criteria card with its inputs (changed by `inputs`); returns the results. */
export async function runMatch(
  h: MatchHarness,
  user: TeamsUser,
  inputs: Record<string, unknown> = {},
  command = 'match customers',
): Promise<{ criteria: unknown; result: InvokeResult }> {
  const criteria = cardOf((await h.say(command, user))[0]);
  const run = button(criteria, 'Run');
  const result = await h.invoke(
    run.verb,
    { ...run.data, ...inputsOf(criteria), ...inputs },
    user,
    'criteria-card-1',
  );
  return { criteria, result };
}

export const runIdOf = (card: unknown): string => {
  const approve = (JSON.stringify(card).match(/"runId":"([0-9a-f-]{36})"/) ?? [])[1];
  if (!approve) throw new Error('no run id on the card');
  return approve;
};

export { Verb };
