import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCardSeal } from '../../../bot/card-seal.js';
import { createManagerAlerts } from '../../../bot/notifications/manager-alerts.js';
import { createCardMessenger } from '../../../bot/notifications/messenger.js';
import { proactiveVia } from '../../../bot/notifications/proactive.js';
import { createReplier } from '../../../bot/reply.js';
import { createConversationReferences } from '../../../core/conversations/conversation-references.js';
import type { Job } from '../../../core/model/job.js';
import { SyncErrorRepository } from '../../../core/sync/sync-error-repository.js';
import { button, cardOf, cardText } from '../../support/bot-harness.js';
import { captureLogs } from '../log-capture.js';
import { freshSandbox, personalChat, startSyncHarness, type SyncHarness } from '../sync/harness.js';
import { ADA, BEN } from '../teams-activity.js';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness(); // SYNC_INTERVAL_MINUTES: the default 30
});
afterAll(() => h.close());
beforeEach(async () => {
  await freshSandbox(h);
  await h.say('help', ADA); // both have a personal chat with the bot: references stored
  await h.say('help', BEN);
});

const textsTo = (user: typeof ADA, from: number) =>
  h.sentTo(personalChat(user), from).map((a) => cardText(cardOf(a)));

describe('proactive messages to managers after scheduled runs', () => {
  it('a run that leaves a new error reaches every manager once, and nobody else', async () => {
    const setUp = await h.say('couple customer 10000', ADA);
    await h.click(
      button(setUp.card, 'Couple'),
      setUp.id,
      { syncAfterCoupling: 'Yes - Use the Business Central data' },
      ADA,
    );
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0111"', ADA);
    await h.say('sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0122"', ADA);
    const from = h.adapter.sent.length;
    expect(await h.bot.runtime.scheduler.tick()).toContain('CUSTOMER');
    const [alert, ...more] = textsTo(ADA, from);
    expect(more).toEqual([]);
    expect(alert).toMatch(
      /Scheduled synchronization of CUSTOMER left 1 new error\. Type errors customer to retry them/,
    );
    expect(alert).toMatch(/Skipped 1/);
    expect(alert).toMatch(/10000 Adatum Corporation: Skipped\nCannot update Customer 10000/);
    expect(textsTo(BEN, from)).toEqual([]);

    // The same interval is not run twice; the next one finds the same conflict, which is not new.
    expect(await h.bot.runtime.scheduler.tick()).toEqual([]);
    h.clock.advanceMinutes(31);
    expect(await h.bot.runtime.scheduler.tick()).toContain('CUSTOMER');
    expect(textsTo(ADA, from)).toHaveLength(1);
  });
});

describe('manager alerts', () => {
  const job = (changes: Partial<Job>): Job => ({
    id: '5b1f4c2e-9a7d-4e3b-8c6f-1d2e3f4a5b6c',
    mapping: 'CUSTOMER',
    type: 'Synchronization',
    direction: 'Bidirectional',
    status: 'Finished',
    startedAt: new Date(),
    finishedAt: new Date(),
    startedBy: 'Scheduled synchronization',
    startedById: '',
    cancelRequest: null,
    undone: null,
    counters: {
      inserted: 0,
      modified: 0,
      deleted: 0,
      unchanged: 0,
      skipped: 0,
      failed: 0,
      coupled: 0,
      uncoupled: 0,
    },
    message: 'Nothing to synchronize.',
    ...changes,
  });

  const alerts = (managerIds: string[], logs = captureLogs()) => {
    const conversations = createConversationReferences({ db: h.db.db, clock: h.clock });
    return createManagerAlerts({
      managerIds,
      conversations,
      messenger: createCardMessenger({
        conversations,
        proactive: proactiveVia(h.adapter, undefined),
        replier: createReplier({ seal: createCardSeal('test') }),
      }),
      errors: new SyncErrorRepository(h.db.db, h.clock.now),
      services: h.bot.services,
      logger: logs.logger,
    });
  };

  it('a failed run tells managers why, and where to look', async () => {
    const from = h.adapter.sent.length;
    const message = 'The job stopped: The Dataverse service is not reachable (503). Run it again to finish.';
    // Teams and admins do not always agree on the case of an Entra id.
    await alerts([ADA.aadObjectId.toUpperCase()])(job({ status: 'Failed', message }), 0);
    const [alert] = textsTo(ADA, from);
    expect(alert).toContain(
      `Scheduled synchronization of CUSTOMER: Failed. ${message} Type status customer to see the jobs.`,
    );
  });

  it('a run that finished without new errors tells nobody', async () => {
    const from = h.adapter.sent.length;
    await alerts([ADA.aadObjectId])(job({ counters: { ...job({}).counters, modified: 3 } }), 0);
    expect(h.adapter.sent.length).toBe(from);
  });

  it('without a manager to reach, it is logged and nothing fails', async () => {
    const logs = captureLogs();
    await alerts(['00000000-0000-4000-8000-000000000000'], logs)(job({ status: 'Failed' }), 0);
    expect(logs.lines().some((l) => String(l['msg']).startsWith('no manager has a personal chat'))).toBe(
      true,
    );
  });
});
