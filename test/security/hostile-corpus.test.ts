import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADA, BEN, BOT, teamsExecute, teamsMessage } from '../bot/teams-activity.js';
import { knownState } from './support/card-crawl.js';
import { APOLOGY, startCorpusBot, type CorpusBot } from './support/corpus-bot.js';

/**
 * The hostile-input corpus over HTTP (card action data: hostile-card-data.test.ts). Every row is
 * answered with a clear message or a 4xx, changes nothing in any collection, and crashes nothing: the
 * server still answers /healthz 200 and a normal command afterwards.
 */
let bot: CorpusBot;
beforeAll(async () => {
  bot = await startCorpusBot();
  await knownState(bot);
  await bot.say('help', ADA); // first contacts save conversation references; from here on nothing may change
  await bot.say('help', BEN);
});
afterAll(() => bot.close());

/** A label whose link would hide where it goes, were the bot to post it as Markdown. */
const LIVE_LINK = /\]\(https?:/;
const A_5000 = 'a'.repeat(5_000);

/** [what, typed by, text, the answer must say]. Ada is a manager: the most a typed command can do. */
const TYPED: Array<[string, typeof ADA, string, RegExp]> = [
  ['very long text', ADA, `show customer ${'9'.repeat(10_000)}`, /too long \(10,014 characters\)/],
  [
    'control characters',
    ADA,
    'show customer 10000\u0000\u0007\u001b[31m',
    /is not a Business Central number/,
  ],
  ['a zero-width space inside the command', ADA, 'sh\u200bow customer 10000', /did you mean show\?/],
  ['a right-to-left override', ADA, '\u202eshow customer 10000', /did you mean show\?/],
  ['a Cyrillic look-alike letter', ADA, 'ѕhow customer 10000', /did you mean show\?/],
  ['fullwidth letters', ADA, 'ｓｈｏｗ customer 10000', /I don't know the command/],
  [
    'a look-alike in the entity',
    ADA,
    'couple сustomer 10000',
    /not a Business Central table|did you mean customer/,
  ],
  [
    '$where as a number',
    ADA,
    'show customer {"$where": "sleep(10000) || true"}',
    /is not a Business Central number/,
  ],
  ['{"$ne": null} as a number', ADA, 'uncouple customer {"$ne":null}', /is not a Business Central number/],
  ['{"$ne": null} as a row', ADA, 'couple customer 20000 to account {"$ne": null}', /No account is named/],
  ['{"$gt": ""} as a row id', ADA, 'couple account {"$gt":""}', /is not a Dataverse id/],
  [
    'a regex bomb as a name',
    ADA,
    'couple customer 20000 to account "(a+)+$"',
    /No account is named "\(a\+\)\+\$" exactly/,
  ],
  [
    'a regex matching everything',
    ADA,
    'sandbox edit account ".*" name="x"',
    /No account is named "\.\*" exactly/,
  ],
  ['a regex as an id to delete', ADA, 'sandbox delete account ".*"', /is not a Dataverse id/],
  [
    'a 5,000-letter name',
    ADA,
    `couple customer 20000 to account "${A_5000}!"`,
    /too long|at most|No account/,
  ],
  ['OData injection in a number', ADA, "show customer 10000' or 1 eq 1", /is not a Business Central number/],
  [
    'OData injection in a name',
    ADA,
    `couple customer 20000 to account "x' or 1 eq 1 or name eq '"`,
    /No account is named "x' or 1 eq 1 or name eq '" exactly/,
  ],
  ['SQL injection', ADA, 'show customer 10000; DROP TABLE customers; --', /I didn't understand|is not/],
  ['a script tag', ADA, 'show customer <script>alert(1)</script>', /is not a Business Central number/],
  [
    'markup that leaves empty quotes',
    ADA,
    'couple customer 20000 to account "<img src=x onerror=alert(1)>"',
    /The name in quotes is empty/,
  ],
  [
    'a Markdown link as the command',
    ADA,
    '[Approve](https://evil.example/phish)',
    /I don't know the command/,
  ],
  [
    'a Markdown link as a name',
    ADA,
    'couple customer 20000 to account "[Click me](https://evil.example/phish)"',
    /No account is named/,
  ],
  ['a manager command from a non-manager', BEN, 'uncouple all customers', /Only managers|managers can/i],
];

/** CSV/formula injection where names are typed. */
const FORMULAS: Array<[string, string]> = [
  ['=HYPERLINK in a new account', "sandbox add account name=\"=HYPERLINK('https://evil.example','Click')\""],
  ['+cmd in a new account', 'sandbox add account name="+cmd|\' /C calc\'!A0"'],
  ['@SUM in a new account', 'sandbox add account name="@SUM(1+1)*cmd|\' /C calc\'!A0"'],
  ['-2+3 in a new account', 'sandbox add account name="-2+3+cmd|\' /C calc\'!A0"'],
  ['= in a BC customer name', 'sandbox edit customer 10000 name="=1+1"'],
  ['= in a Dataverse name', 'sandbox edit account "Adatum Corporation" name="=HYPERLINK(\'x\')"'],
];

async function unchangedAfter(act: () => Promise<void>, except: string[] = []) {
  const without = (snapshot: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(snapshot).filter(([name]) => !except.includes(name)));
  const before = without(await bot.snapshot());
  await act();
  expect(without(await bot.snapshot())).toEqual(before);
}

describe('typed commands', () => {
  it.each(TYPED)('%s: answered clearly, nothing changed', async (_name, user, text, answer) => {
    await unchangedAfter(async () => {
      const reply = await bot.say(text, user);
      expect(reply.status).toBe(200);
      expect(reply.text).toMatch(answer);
      expect(reply.text).not.toMatch(APOLOGY);
      expect(reply.text).not.toMatch(LIVE_LINK);
    });
  });

  it.each(FORMULAS)('%s is refused as a spreadsheet formula, nothing changed', async (_name, text) => {
    await unchangedAfter(async () => {
      const reply = await bot.say(text, ADA);
      expect(reply.text).toMatch(/would run as a formula[\s\S]*Nothing was changed/);
    });
  });

  it('a phone number starting with + is still a phone number (the control)', async () => {
    const reply = await bot.say('sandbox edit customer 10000 phone="+1 425 555 0100"', ADA);
    expect(reply.text).toMatch(/changed in Business Central/);
    await knownState(bot);
  });
});

describe('CSV injection in an imported file', () => {
  const csv = [
    'name,telephone1',
    '"=HYPERLINK(""https://evil.example"",""Click"")",+1 425 555 0100',
    '"+cmd|\' /C calc\'!A0",',
    '@SUM(1+1),',
    '"\t=1+1",',
  ].join('\n');

  it('every formula row is rejected by line, and nothing is inserted', async () => {
    await unchangedAfter(async () => {
      const activity = {
        ...teamsMessage('import accounts', { serviceUrl: bot.http.connector.serviceUrl, user: ADA }),
        attachments: [{ contentType: 'text/csv', name: 'accounts.csv', content: csv }],
      };
      const reply = await bot.send(activity);
      expect(reply.text).not.toMatch(APOLOGY);
      expect(reply.text).toMatch(/would run as a formula/);
      expect(reply.text).toMatch(/Line 2[\s\S]*Line 3[\s\S]*Line 4[\s\S]*Line 5/i);
    }, ['audit']);
    // The attempt itself is audited (who tried to import what), with nothing accepted.
    const audit = await bot.http.db.db.collection('audit').find().sort({ at: -1 }).limit(1).toArray();
    expect(audit[0]).toMatchObject({ action: 'import.accounts', details: { accepted: 0, rejected: 4 } });
  });
});

/** [what, body, content type, the status it gets]. */
const MALFORMED: Array<[string, () => string | Buffer, string | undefined, number]> = [
  ['no type', () => JSON.stringify({ ...message(), type: undefined }), 'application/json', 400],
  [
    'no conversation',
    () => JSON.stringify({ ...message(), conversation: undefined }),
    'application/json',
    400,
  ],
  ['no from', () => JSON.stringify({ ...message(), from: undefined }), 'application/json', 400],
  ['no recipient', () => JSON.stringify({ ...message(), recipient: undefined }), 'application/json', 400],
  ['no serviceUrl', () => JSON.stringify({ ...message(), serviceUrl: undefined }), 'application/json', 400],
  [
    'text that is an object',
    () => JSON.stringify({ ...message(), text: { $ne: null } }),
    'application/json',
    400,
  ],
  [
    'a tenant id that is an object',
    () => JSON.stringify({ ...message(), conversation: { id: 'c1', tenantId: { $ne: null } } }),
    'application/json',
    400,
  ],
  [
    'an aadObjectId that is an object',
    () => JSON.stringify({ ...message(), from: { id: 'u', aadObjectId: { $gt: '' } } }),
    'application/json',
    400,
  ],
  [
    'a mention without who is mentioned',
    () => JSON.stringify({ ...message(), entities: [{ type: 'mention', mentioned: null }] }),
    'application/json',
    400,
  ],
  [
    'a conversation id that is an object',
    () => JSON.stringify({ ...message(), conversation: { id: { $ne: null } } }),
    'application/json',
    400,
  ],
  ['bad JSON', () => '{"type": "message",', 'application/json', 400],
  ['200,000 nested brackets', () => '['.repeat(200_000), 'application/json', 400],
  ['JSON sent as text/plain', () => JSON.stringify(message()), 'text/plain', 415],
  ['a form post', () => 'type=message&text=help', 'application/x-www-form-urlencoded', 415],
  ['XML', () => '<activity type="message"/>', 'application/xml', 415],
  ['no content type', () => JSON.stringify(message()), undefined, 415],
  ['an empty body', () => '', 'application/json', 400],
  ['a JSON array', () => '[1]', 'application/json', 400],
  [
    'a 300 KB activity',
    () => JSON.stringify({ ...message(), text: 'a'.repeat(300_000) }),
    'application/json',
    413,
  ],
  ['a 10 MB body', () => Buffer.alloc(10 * 1024 * 1024, 'a'), 'application/json', 413],
];

function message(): Record<string, unknown> {
  return teamsMessage('sandbox reset', { serviceUrl: bot.http.connector.serviceUrl, user: ADA }) as Record<
    string,
    unknown
  >;
}

describe('malformed activities to /api/messages', () => {
  it.each(MALFORMED)(
    '%s is refused with its 4xx, no turn runs, nothing changed',
    async (_n, body, type, status) => {
      await unchangedAfter(async () => {
        bot.http.connector.clear();
        const res = await fetch(bot.http.url, {
          method: 'POST',
          headers: type ? { 'content-type': type } : {},
          body: body(),
        });
        expect(res.status).toBe(status);
        expect(await res.text()).not.toMatch(/\bat \S+\.(ts|js):\d+/);
        expect(bot.http.connector.calls).toHaveLength(0);
      });
    },
  );

  it.each([
    ['an invoke the bot does not implement', 'composeExtension/query'],
    ['a sign-in invoke', 'signin/verifyState'],
  ])('%s gets the SDK’s 501 Not Implemented and no work is done', async (_n, name) => {
    await unchangedAfter(async () => {
      const invoke = { ...teamsExecute('ca.show', {}, { serviceUrl: bot.http.connector.serviceUrl }), name };
      expect((await bot.send(invoke)).status).toBe(501);
    });
  });

  it.each([
    ['an Execute without a value', { value: undefined }],
    ['an Execute whose action is text', { value: { action: 'ca.show' } }],
    ['an Execute whose verb is an operator', { value: { action: { verb: { $ne: null }, data: {} } } }],
  ])('%s is answered that the button is unknown', async (_n, change) => {
    await unchangedAfter(async () => {
      const invoke = {
        ...teamsExecute('ca.show', {}, { serviceUrl: bot.http.connector.serviceUrl }),
        ...change,
      };
      const reply = await bot.send(invoke);
      expect(reply.status).toBe(200);
      expect(reply.text).toMatch(/That button is not one I know/);
    });
  });
});

describe('odd but well-formed activities', () => {
  it('a message that mentions the bot but has no text is answered, not apologised for', async () => {
    await unchangedAfter(async () => {
      const reply = await bot.send({
        ...message(),
        text: undefined,
        entities: [{ type: 'mention', mentioned: { ...BOT }, text: `<at>${BOT.name}</at>` }],
      });
      expect(reply.status).toBe(200);
      expect(reply.text).toMatch(/Type help to see what I can do/);
      expect(reply.text).not.toMatch(APOLOGY);
    });
  });
});

describe('after the whole corpus', () => {
  it('the server is healthy, answers normally, and Object.prototype is untouched', async () => {
    const health = await fetch(bot.http.url.replace('/api/messages', '/healthz'));
    expect(health.status).toBe(200);
    expect((await bot.say('show customer 10000')).text).toMatch(/^Customer 10000\nAdatum Corporation/);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
