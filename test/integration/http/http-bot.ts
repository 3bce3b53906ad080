import type { Activity, Attachment } from 'botbuilder';
import {
  FAST_RETRY,
  startHarness,
  TENANT as AUTHORITY_TENANT,
  CLIENT,
  SECRET,
  type Harness,
  type HarnessOptions,
} from '../../kit/loopback/harness.js';
import { cardOf, cardText, startBotHarness, type BotHarness } from '../../support/bot-harness.js';
import type { Telemetry } from '../../../core/ports/telemetry.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { ADA, TENANT, teamsMessage } from '../../bot/teams-activity.js';
import { seedFakes } from './seed-fakes.js';

/**
 * The whole bot (real core services, real middleware, TestAdapter) composed exactly as `npm start` does
 * with the BC_*, DATAVERSE_URL and AZURE_* variables set — pointed at the loopback authority, BC and
 * Dataverse. Only the fetch (trusting the test CA) and the retry delays are the test's.
 */
export interface HttpBot extends BotHarness {
  fakes: Harness;
  /** Background jobs and match follow-ups have finished. */
  settle(): Promise<void>;
  /** The text of everything the bot answered to `text`. */
  ask(text: string, user?: typeof ADA): Promise<{ text: string; card: unknown; id: string | undefined }>;
  /** A message with attachments (import + a CSV file); returns the text of the answers. */
  sayWith(text: string, attachments: Attachment[], user: typeof ADA): Promise<string>;
  /** Fresh fakes, no couplings, jobs, errors or runs; mappings back to their defaults. */
  reset(): Promise<void>;
  /** Rows of both fakes and every collection a turn may change: "nothing else changed" compares two. */
  snapshot(): Promise<unknown>;
  close(): Promise<void>;
}

const SERVICE_URL = 'https://smba.example.test/teams/';

export function httpEnv(fakes: Harness): Record<string, string> {
  return {
    BC_BASE_URL: fakes.bc.origin,
    BC_TENANT_ID: fakes.bc.tenantId,
    BC_ENVIRONMENT: fakes.bc.environment,
    BC_COMPANY_ID: fakes.bc.companyId,
    DATAVERSE_URL: fakes.dv.origin,
    AZURE_TENANT_ID: AUTHORITY_TENANT,
    AZURE_CLIENT_ID: CLIENT,
    AZURE_CLIENT_SECRET: SECRET,
    AZURE_AUTHORITY_HOST: fakes.authority.origin,
  };
}

export async function startHttpBot(
  options: HarnessOptions & { env?: Record<string, string>; telemetry?: Telemetry } = {},
): Promise<HttpBot> {
  const fakes = await startHarness(options);
  seedFakes(fakes.bc, fakes.dv);
  const h = await startBotHarness({
    env: { SYNC_INTERVAL_MINUTES: '0', ...httpEnv(fakes), ...options.env },
    http: { fetch: fakes.fetch, httpRetry: FAST_RETRY, telemetry: options.telemetry },
  });
  await ensureIndexes(h.db.db);
  const settle = async () => {
    await h.bot.background.idle();
    await h.bot.services.match.background.idle();
  };
  const collections = async () =>
    (await h.db.db.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((n) => n !== 'conversations' && n !== 'cardRefs')
      .sort();
  return {
    ...h,
    fakes,
    settle,
    async ask(text, user) {
      const sent: Array<Partial<Activity>> = await h.say(text, user);
      await settle();
      return {
        text: sent.map((a) => a.text ?? cardText(cardOf(a))).join('\n'),
        card: cardOf(sent[0]),
        id: sent[0]?.id,
      };
    },
    async sayWith(text, attachments, user) {
      h.adapter.activeQueue.splice(0);
      const message = teamsMessage(text, { serviceUrl: SERVICE_URL, user, tenantId: TENANT });
      await h.adapter.processActivity({ ...message, attachments });
      await settle();
      return [...h.adapter.activeQueue].map((a) => a.text ?? cardText(cardOf(a))).join('\n');
    },
    async reset() {
      await settle();
      fakes.bc.allow();
      fakes.dv.allow();
      seedFakes(fakes.bc, fakes.dv);
      for (const name of await collections()) {
        if (name !== 'mappings') await h.db.db.collection(name).deleteMany({});
      }
      await h.db.db.collection('mappings').deleteMany({});
      await h.bot.seed();
    },
    async snapshot() {
      const bcRows = ['customers', 'currencies'].map((s) => fakes.bc.table(s).all());
      const dvRows = ['accounts', 'contacts', 'products'].map((s) => fakes.dv.table(s).all());
      const names = await collections();
      const docs = await Promise.all(
        names.map(async (n) => [n, await h.db.db.collection(n).find().sort({ _id: 1 }).toArray()]),
      );
      return { bc: structuredClone(bcRows), dv: structuredClone(dvRows), store: Object.fromEntries(docs) };
    },
    async close() {
      await settle();
      await h.bot.runtime.stop();
      await h.close();
      await fakes.close();
    },
  };
}
