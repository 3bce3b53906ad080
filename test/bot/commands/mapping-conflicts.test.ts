import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buttonsOf, cardOf, startBotHarness, type BotHarness } from '../../support/bot-harness.js';
import { answerText, playFlow } from '../flow.js';
import { ADA, BEN } from '../teams-activity.js';

/** Resolve Update Conflicts and Resolve Deletion Conflicts, set from chat (managers; enforced in core). */
let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.say('sandbox reset', ADA);
  for (const name of ['customers', 'item-product']) {
    const sent = await h.say(`mapping ${name} reset`, ADA);
    const confirm = buttonsOf(cardOf(sent[0])).find((b) => b.title === 'Reset to defaults');
    if (confirm) await h.click(confirm, {}, ADA);
  }
});

const stored = async (name = 'CUSTOMER') => {
  const m = await h.db.db.collection('mappings').findOne({ name });
  return {
    update: m?.updateConflictResolution,
    deletion: m?.deletionConflictResolution,
    version: m?.version,
  };
};

describe('mapping … update-conflicts / deletion-conflicts', () => {
  it('a manager sets both; mappings and mapping customers show them', () =>
    playFlow(h, [
      [
        ADA,
        'mapping customers update-conflicts send',
        /^Table mapping CUSTOMER: Resolve Update Conflicts set to Send Update to Integration\n[\s\S]*Resolve Update Conflicts: Send Update to Integration · Resolve Deletion Conflicts: None/,
      ],
      [
        ADA,
        'mapping customer deletion-conflicts remove-coupling',
        /Resolve Deletion Conflicts set to Remove Coupling\n[\s\S]*Resolve Deletion Conflicts: Remove Coupling/,
      ],
      [
        ADA,
        'mapping customers update-conflicts GET',
        /Resolve Update Conflicts set to Get Update from Integration/,
      ],
      [ADA, 'mapping customers deletion-conflicts restore', /set to Restore Records/],
      [
        BEN,
        'mappings',
        /CUSTOMER\n[\s\S]*Resolve Update Conflicts: Get Update from Integration\nResolve Deletion Conflicts: Restore Records/,
      ],
      [
        BEN,
        'mapping customers',
        /^Field mappings of CUSTOMER\n[\s\S]*Resolve Update Conflicts: Get Update from Integration\nResolve Deletion Conflicts: Restore Records\n[\s\S]*mapping customer update-conflicts none\|send\|get · mapping customer deletion-conflicts none\|restore\|remove-coupling/,
      ],
    ]));

  it('the change is audited and versioned like every mapping change', async () => {
    const before = await stored();
    await h.say('mapping customers deletion-conflicts remove-coupling', ADA);
    expect(await stored()).toEqual({
      update: 'None',
      deletion: 'Remove Coupling',
      version: Number(before.version) + 1,
    });
    const audit = await h.db.db
      .collection('audit')
      .findOne({ action: 'mapping.conflictResolution' }, { sort: { _id: -1 } });
    expect(audit?.details).toMatchObject({ to: { deletionConflictResolution: 'Remove Coupling' } });
  });

  it.each([
    [
      'a non-manager (refused by core)',
      BEN,
      'mapping customers update-conflicts send',
      /Only managers can change table mappings/,
    ],
    [
      'an unknown update choice',
      ADA,
      'mapping customers update-conflicts always',
      /'always' is not a choice for Resolve Update Conflicts\. Choose none, send, get\./,
    ],
    [
      'an unknown deletion choice',
      ADA,
      'mapping customers deletion-conflicts delete',
      /'delete' is not a choice for Resolve Deletion Conflicts\. Choose none, restore, remove-coupling\./,
    ],
    [
      'no choice',
      ADA,
      'mapping customers deletion-conflicts',
      /Which Resolve Deletion Conflicts\? Choose none, restore, remove-coupling\./,
    ],
    [
      'an update choice given to deletions',
      ADA,
      'mapping customers deletion-conflicts send',
      /'send' is not a choice for Resolve Deletion Conflicts/,
    ],
    [
      'a deletion choice given to updates',
      ADA,
      'mapping customers update-conflicts restore',
      /'restore' is not a choice for Resolve Update Conflicts/,
    ],
    [
      'update conflicts on a one-way mapping (core rule)',
      ADA,
      'mapping item-product update-conflicts get',
      /Resolve Update Conflicts applies to bidirectional mappings only; ITEM-PRODUCT is ToIntegrationTable/,
    ],
    [
      'an unknown mapping',
      ADA,
      'mapping widgets update-conflicts none',
      /There is no table mapping "WIDGETS"\. The mappings are: /,
    ],
    ['a word too many', ADA, 'mapping customers update-conflicts send now', /I didn't understand 'now'/],
  ])('%s is refused with the valid choices, and nothing changes', async (_name, user, text, answer) => {
    const before = [await stored(), await stored('ITEM-PRODUCT')];
    expect(answerText(await h.say(text, user))).toMatch(answer);
    expect([await stored(), await stored('ITEM-PRODUCT')]).toEqual(before);
  });
});

describe('messages that ask for a conflict setting name the command', () => {
  it('an update conflict in errors names mapping customer update-conflicts', async () => {
    await h.say('couple customer 10000 to account "Adatum Corporation"', ADA);
    await h.say('sync customer 10000', ADA).then(async (sent) => {
      const go = buttonsOf(cardOf(sent[0])).find((b) => b.title === 'Synchronize');
      if (go) await h.click(go, { direction: 'ToIntegrationTable' }, ADA);
    });
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0111"', ADA);
    await h.say('sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0122"', ADA);
    await h.say('sync customers modified', ADA);
    await h.bot.background.idle();
    const errors = answerText(await h.say('errors customers', ADA));
    expect(errors).toMatch(
      /or set Resolve Update Conflicts on mapping CUSTOMER: mapping customer update-conflicts send\|get\./,
    );
  });

  it('a deletion conflict in errors names mapping customer deletion-conflicts', async () => {
    await h.say('couple customer 10000 to account "Adatum Corporation"', ADA);
    const shown = answerText(await h.say('show customer 10000', ADA));
    const dvId = /Dataverse id: ([0-9a-f-]{36})/.exec(shown)?.[1];
    await h.say(`sandbox delete account ${dvId}`, ADA);
    await h.say('sync customers all', ADA);
    await h.bot.background.idle();
    const errors = answerText(await h.say('errors customers', ADA));
    expect(errors).toMatch(
      /or set Resolve Deletion Conflicts on mapping CUSTOMER: mapping customer deletion-conflicts restore\|remove-coupling\)/,
    );
  });
});
