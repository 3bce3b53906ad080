import { afterEach, describe, expect, it } from 'vitest';
import { accountId } from '../../../connectors/sandbox/seed-data-dv.js';
import { button, buttonsOf, cardOf, cardText } from '../../support/bot-harness.js';
import type { ConnectorCall } from '../../support/loopback-connector.js';
import { ADA, BEN, teamsExecute, teamsMessage, type TeamsUser } from '../teams-activity.js';
import { inputsOf } from './support/match-harness.js';
import { startHttpMatchBot, type HttpMatchBot } from './support/http-match-bot.js';
import { CAROL } from './support/world.js';

let http: HttpMatchBot | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});

const chat = (u: TeamsUser) => `a:personal-${u.aadObjectId}`;
const ENV = { MANAGER_AAD_OBJECT_IDS: `${ADA.aadObjectId},${CAROL.aadObjectId}` };

async function start(env: Record<string, string> = {}): Promise<HttpMatchBot> {
  http = await startHttpMatchBot({ ...ENV, ...env });
  const serviceUrl = http.connector.serviceUrl;
  // Each manager has talked to the bot once, so their personal chats are known.
  for (const manager of [ADA, CAROL]) await http.post(teamsMessage('help', { serviceUrl, user: manager }));
  http.connector.clear();
  return http;
}

/** `match customers` as `user`; returns the criteria card and the id of its message. */
async function criteriaCard(h: HttpMatchBot, user: TeamsUser) {
  await h.post(teamsMessage('match customers', { serviceUrl: h.connector.serviceUrl, user }));
  const call = h.connector.calls.at(-1) as Extract<ConnectorCall, { kind: 'reply' }>;
  return { card: cardOf(call.activity), id: call.id };
}

async function click(
  h: HttpMatchBot,
  user: TeamsUser,
  card: unknown,
  title: string,
  replyToId: string,
  inputs: Record<string, unknown> = {},
) {
  const b = button(card, title);
  const res = await h.post(
    teamsExecute(b.verb, { ...b.data, ...inputs }, { serviceUrl: h.connector.serviceUrl, user, replyToId }),
  );
  await h.idle();
  return (res.body as { value?: unknown } | undefined)?.value;
}

const sentTo = (h: HttpMatchBot, user: TeamsUser) =>
  h.connector.calls.filter(
    (c): c is Extract<ConnectorCall, { kind: 'send' | 'reply' }> =>
      (c.kind === 'send' || c.kind === 'reply') && c.conversationId === chat(user),
  );

describe('end to end over HTTP: managers get a copy, a decision updates every copy in place', () => {
  it('a run awaiting approval is posted to every manager; approval updates the requester’s and the other manager’s copy', async () => {
    const h = await start();
    const criteria = await criteriaCard(h, BEN);
    h.connector.clear();
    const results = await click(h, BEN, criteria.card, 'Run', criteria.id, inputsOf(criteria.card));
    expect(cardText(results)).toMatch(/Proposed: 2[\s\S]*Awaiting approval by a manager\./);
    expect(buttonsOf(results)).toEqual([]);

    // One proactive POST per manager (botbuilder posts it as a reply to its continuation event), each a
    // results card with the decision buttons.
    const [adaCopy] = sentTo(h, ADA);
    const [carolCopy] = sentTo(h, CAROL);
    for (const copy of [adaCopy, carolCopy]) {
      expect(cardText(cardOf(copy?.activity))).toMatch(/Proposed: 2[\s\S]*Awaiting your approval\./);
      // School of Fine Art's near candidate comes with its own button.
      expect(buttonsOf(cardOf(copy?.activity)).map((b) => b.title)).toEqual([
        'Couple to this near match',
        'Approve selected',
        'Approve all',
        'Reject',
      ]);
    }
    expect(h.connector.updates()).toEqual([]);

    h.connector.clear();
    const decided = await click(h, ADA, cardOf(adaCopy?.activity), 'Approve all', adaCopy?.id ?? '');
    expect(cardText(decided)).toMatch(
      /Approved by Ada Manager at \d{4}-\d\d-\d\d \d\d:\d\d UTC: 2 coupled, 0 failed/,
    );
    const updates = h.connector.updates();
    expect(updates.map((u) => [u.conversationId, u.activityId]).sort()).toEqual(
      [
        [chat(BEN), criteria.id],
        [chat(CAROL), carolCopy?.id],
      ].sort(),
    );
    for (const u of updates) {
      expect(cardText(cardOf(u.activity))).toMatch(/Approved by Ada Manager at .*: 2 coupled, 0 failed/);
      expect(buttonsOf(cardOf(u.activity))).toEqual([]);
    }

    // Carol clicks her old copy: told who was first, and her card shows the decided run.
    h.connector.clear();
    const late = await click(h, CAROL, cardOf(carolCopy?.activity), 'Approve all', carolCopy?.id ?? '');
    expect(cardText(late)).toMatch(/Approved by Ada Manager at .*: 2 coupled/);
    expect(sentTo(h, CAROL).map((c) => c.activity.text)).toEqual([
      expect.stringMatching(/^This match run was already approved by Ada Manager at .* UTC\.$/),
    ]);
    const couplings = await h.db.db.collection('couplings').find({ mapping: 'CUSTOMER' }).toArray();
    expect(couplings.map((c) => c.dvId).sort()).toEqual(
      [accountId('adatum'), accountId('trey-lowercase')].sort(),
    );
  });

  it('a slow run answers with a progress card first, replaced in place by the results', async () => {
    const h = await start({ MATCH_PROGRESS_AFTER_MS: '0' });
    const criteria = await criteriaCard(h, ADA);
    h.connector.clear();
    const progress = await click(h, ADA, criteria.card, 'Run', criteria.id, inputsOf(criteria.card));
    expect(cardText(progress)).toMatch(
      /^Match-Based Coupling: CUSTOMER\nBy Ada Manager · .*\nMatching records…\nThis card is updated when it is done\./,
    );
    const [update] = h.connector.updates();
    expect(update).toMatchObject({ conversationId: chat(ADA), activityId: criteria.id });
    const results = cardOf(update?.activity);
    expect(cardText(results)).toMatch(/Proposed: 2[\s\S]*Awaiting your approval\./);
    // The requester is a manager: their own chat gets no second copy; Carol gets one.
    expect(sentTo(h, ADA)).toEqual([]);
    expect(sentTo(h, CAROL)).toHaveLength(1);

    h.connector.clear();
    const applying = await click(h, ADA, results, 'Reject', criteria.id);
    expect(cardText(applying)).toMatch(/Applying the decision on the match run…/);
    const final = h.connector.updates().find((u) => u.activityId === criteria.id);
    expect(cardText(cardOf(final?.activity))).toMatch(/Rejected by Ada Manager/);
    const carol = h.connector.updates().find((u) => u.conversationId === chat(CAROL));
    expect(cardText(cardOf(carol?.activity))).toMatch(/Rejected by Ada Manager/);
  });

  it('Synchronize After Coupling synchronizes the newly coupled records and reports it', async () => {
    const h = await start();
    const adatum = () => h.db.db.collection('dv.account').findOne({ _id: accountId('adatum') } as object);
    expect((await adatum())?.fields).toMatchObject({ accountnumber: null });
    const criteria = await criteriaCard(h, ADA);
    const results = await click(h, ADA, criteria.card, 'Run', criteria.id, {
      ...inputsOf(criteria.card),
      syncAfterCoupling: 'Yes - Use the Business Central data',
    });
    h.connector.clear();
    await click(h, ADA, results, 'Approve all', criteria.id);
    const reports = sentTo(h, ADA).map((c) => c.activity.text ?? '');
    expect(reports).toEqual([
      expect.stringMatching(
        /^Synchronize After Coupling \(Yes - Use the Business Central data\) for CUSTOMER, 2 newly coupled records: job [0-9a-f-]{36}: /,
      ),
    ]);
    // No. → accountnumber flows to Dataverse only: the BC data was written to the coupled account.
    expect((await adatum())?.fields).toMatchObject({ accountnumber: '10000' });
  });
});
