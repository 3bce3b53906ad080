import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORGED_DATA } from '../../bot/actions/action.js';
import { ACTIONS } from '../../bot/actions/index.js';
import { accountId } from '../../connectors/sandbox/seed-data-dv.js';
import { BEN } from '../bot/teams-activity.js';
import { baseData, crawlButtons, knownState, type Found } from './support/card-crawl.js';
import { APOLOGY, startCorpusBot, type CorpusBot } from './support/corpus-bot.js';

/**
 * Hostile card action data for EVERY registered verb. Each field of a real button's data is replaced by
 * operator objects, the wrong types, a 200 KB string, prototype-pollution objects. Tampered data is
 * refused by the seal; the same data re-sealed with the bot's own key (an attacker past the seal) must
 * still be refused, by the action's schema or by core. Either way: a clear answer, nothing changed.
 */
const REGISTERED = ACTIONS.map((a) => a.verb as string);
const json = (text: string) => JSON.parse(text) as unknown;

/** Values no id, name, number, page or choice may take. */
const HOSTILE_ANY: Array<[string, unknown]> = [
  ['{"$gt": ""}', { $gt: '' }],
  ['{"$ne": null}', { $ne: null }],
  ['{"$where": …}', { $where: 'sleep(5000) || true' }],
  ['{"$regex": ".*"}', { $regex: '.*' }],
  ['null', null],
  ['true', true],
  ['{"__proto__": {…}}', json('{"__proto__": {"polluted": "yes"}}')],
  ['{"constructor": {"prototype": {…}}}', json('{"constructor": {"prototype": {"polluted": "yes"}}}')],
];
const HOSTILE_FOR_TEXT: Array<[string, unknown]> = [
  ['an array where text is expected', ['10000', '20000']],
  ['a 200 KB string', 'A'.repeat(200_000)],
  ['an empty string', ''],
];
const HOSTILE_FOR_LIST: Array<[string, unknown]> = [
  ['a list of operator objects', [{ $gt: '' }]],
  ['text where a list is expected', '10000'],
  ['a list of 20,000 entries', Array.from({ length: 20_000 }, (_, i) => String(10_000 + i))],
];

/** Another record's id, number or mapping: what a forged click would carry. */
function foreign(value: unknown): unknown {
  if (Array.isArray(value)) return ['30000'];
  if (typeof value !== 'string') return 99;
  if (/^[0-9a-f]{8}-/i.test(value)) return accountId('fine-art-spacing');
  if (/^[A-Z][A-Z-]+$/.test(value)) return 'VENDOR';
  return value === '30000' ? '20000' : '30000';
}

let bot: CorpusBot;
let found: Found;
beforeAll(async () => {
  bot = await startCorpusBot();
  found = await crawlButtons(bot);
}, 120_000);
afterAll(() => bot.close());

it('the corpus has a real button for every registered verb', () => {
  expect(REGISTERED.filter((verb) => !found.has(verb))).toEqual([]);
});

/** Clicks `data` for `verb`; the answer must refuse clearly, and every collection must stay as it was. */
async function refusedWithoutChange(
  cases: Array<[string, Record<string, unknown>]>,
  verb: string,
  expected: RegExp,
) {
  const before = await bot.snapshot();
  for (const [name, data] of cases) {
    const answer = await bot.execute(verb, data);
    expect(answer.status, name).toBe(200);
    expect(answer.text, name).toMatch(expected);
    expect(answer.text, name).not.toMatch(APOLOGY);
  }
  expect(await bot.snapshot()).toEqual(before);
}

const CLEAR_REFUSAL = /Nothing was changed|nothing was changed|Nothing was applied/;

describe.each(REGISTERED)('card verb %s', (verb) => {
  it('hostile values in each field, re-sealed, are refused and change nothing', async () => {
    const base = baseData(found.get(verb) ?? { title: '', verb, data: {} });
    const fields = Object.keys(base);
    // A button without data (Cancel) gets the hostile values as unexpected keys: ignored, nothing changes.
    if (fields.length === 0) {
      const cases = HOSTILE_ANY.map(([name, value]): [string, Record<string, unknown>] => [
        `unexpected = ${name}`,
        bot.reseal(verb, { unexpected: value }),
      ]);
      return refusedWithoutChange(cases, verb, /./);
    }
    const cases = fields.flatMap((field) =>
      [...HOSTILE_ANY, ...(Array.isArray(base[field]) ? HOSTILE_FOR_LIST : HOSTILE_FOR_TEXT)]
        .filter(([, value]) => JSON.stringify(value) !== JSON.stringify(base[field]))
        .map(([name, value]): [string, Record<string, unknown>] => [
          `${field} = ${name}`,
          bot.reseal(verb, { ...base, [field]: value }),
        ]),
    );
    await refusedWithoutChange(cases, verb, CLEAR_REFUSAL);
  });

  it('another record’s ids in any field, without a valid seal, are refused as forged', async () => {
    const button = found.get(verb);
    const base = { ...button?.data };
    const cases = Object.keys(baseData(button ?? { title: '', verb, data: {} }))
      .filter((f) => f in base)
      .map((f): [string, Record<string, unknown>] => [
        `${f} = ${String(foreign(base[f]))}`,
        { ...base, [f]: foreign(base[f]) },
      ]);
    await refusedWithoutChange(cases, verb, new RegExp(FORGED_DATA.slice(0, 40)));
  });
});

describe('a manager-only confirmation', () => {
  beforeAll(() => knownState(bot));

  it('clicked by a non-manager is refused by core, and nothing changes', async () => {
    await bot.say('help', BEN); // Ben's first contact saves his conversation reference
    const confirm = found.get('ca.uncoupleAll.confirm');
    const before = await bot.snapshot();
    const answer = await bot.execute(confirm?.verb ?? '', confirm?.data ?? {}, BEN);
    expect(answer.text).toMatch(/Only managers can delete all couplings/);
    expect(await bot.snapshot()).toEqual(before);
  });
});

describe('a legitimate click with prototype-pollution keys riding along (the controls)', () => {
  beforeAll(() => knownState(bot));

  it.each(REGISTERED)('%s: is not refused as forged, answers clearly, pollutes nothing', async (verb) => {
    const base = baseData(found.get(verb) ?? { title: '', verb, data: {} });
    const extra = json(
      '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}',
    );
    const answer = await bot.execute(verb, bot.reseal(verb, { ...(extra as object), ...base }));
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain(FORGED_DATA.slice(0, 40));
    expect(answer.text).not.toMatch(APOLOGY);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
