import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { button, cardText } from '../../support/bot-harness.js';
import { ADA } from '../../bot/teams-activity.js';
import { startHttpBot, type HttpBot } from './http-bot.js';

let h: HttpBot;
beforeAll(async () => {
  h = await startHttpBot({ env: { MANAGER_AAD_OBJECT_IDS: ADA.aadObjectId } });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** The BC numbers of the rows a results card lists. */
const numbersOn = (text: string): string[] =>
  [...text.matchAll(/^(\d{5}) [A-Za-z]/gm)].map((m) => m[1] as string).sort();

async function run(command: string): Promise<{ text: string; card: unknown }> {
  const criteria = await h.ask(command, ADA);
  const answer = await h.click(button(criteria.card, 'Run'), {}, ADA);
  await h.settle();
  const messages = answer.messages.map((m) => m.text ?? '').join('\n');
  return { text: `${cardText(answer.body?.value)}\n${messages}`, card: answer.body?.value };
}

describe('a match limited to some Business Central records, over API v2.0', () => {
  it('a range proposes only the customers in it', async () => {
    const { text } = await run('match customers 20000..40000');
    expect(text).toMatch(/Limited to Business Central customers 20000\.\.40000 \(3 records\)\./);
    expect(numbersOn(text)).toEqual(['20000', '30000', '40000']);
  });

  it('modified proposes only the customers changed in Business Central since the last approved run', async () => {
    const refused = await run('match customers modified');
    expect(refused.text).toMatch(/CUSTOMER has no approved match run yet/);
    const first = await run('match customers');
    await h.click(button(first.card, 'Approve all'), {}, ADA);
    await h.settle();
    // The fake stamps lastModifiedDateTime with the wall clock, as the run's time is: step past it.
    await new Promise((r) => setTimeout(r, 5));
    const row = h.fakes.bc
      .table('customers')
      .all()
      .find((r) => r.number === '50000');
    h.fakes.bc.table('customers').update(String(row?.id), { city: 'Seattle' });
    const { text } = await run('match customers modified');
    expect(text).toMatch(/Limited to Business Central customers modified since .* \(1 record\)\./);
    expect(numbersOn(text)).toEqual(['50000']);
  });
});
