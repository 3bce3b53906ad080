import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { normaliseName } from '../../../core/model/normalise.js';
import { ErrorCode } from '../../../core/errors.js';
import { generateSynthetic } from '../../../connectors/sandbox/generator.js';
import { SandboxBusinessCentral } from '../../../connectors/sandbox/sandbox-business-central.js';
import { SandboxDataverse } from '../../../connectors/sandbox/sandbox-dataverse.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

let test: TestDb;
let db: Db;

beforeAll(async () => {
  test = await useTestDb();
  db = test.db;
});
afterAll(() => test.cleanup());

async function customerNames(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const page of new SandboxBusinessCentral(db).list('Customer')) {
    out.push(
      ...page
        .filter((r) => r.number.startsWith(prefix))
        .map((r) => `${r.number.slice(1)} ${String(r.fields['Name'])}`),
    );
  }
  return out.sort();
}

describe('generateSynthetic', () => {
  it('makes the requested exact, near and duplicate matches, and nothing else in common', async () => {
    const result = await generateSynthetic(db, {
      customers: 400,
      accounts: 500,
      overlap: { exact: 0.25, near: 0.1, duplicate: 0.05 },
      seed: 7,
      numberPrefix: 'A',
    });
    expect(result).toMatchObject({
      customers: 400,
      accounts: 500,
      exact: 100,
      near: 40,
      duplicate: 20,
      unrelated: 320,
    });

    const accounts: string[] = [];
    for await (const page of new SandboxDataverse(db).list('account', []))
      accounts.push(...page.map((r) => String(r.fields['name'])));
    const exactCount = new Map<string, number>();
    const normCount = new Map<string, number>();
    for (const a of accounts) {
      exactCount.set(a, (exactCount.get(a) ?? 0) + 1);
      normCount.set(normaliseName(a), (normCount.get(normaliseName(a)) ?? 0) + 1);
    }
    const customers = (await customerNames('A')).map((line) => line.slice(line.indexOf(' ') + 1));
    const tally = { exact: 0, near: 0, duplicate: 0, none: 0 };
    for (const c of customers) {
      const exact = exactCount.get(c) ?? 0;
      const near = normCount.get(normaliseName(c)) ?? 0;
      if (exact === 2) tally.duplicate++;
      else if (exact === 1) tally.exact++;
      else if (near === 1) tally.near++;
      else tally.none++;
    }
    expect(tally).toEqual({ exact: 100, near: 40, duplicate: 20, none: 240 });
  });

  it('makes the same data for the same seed', async () => {
    await generateSynthetic(db, { customers: 50, accounts: 10, seed: 42, numberPrefix: 'B' });
    await generateSynthetic(db, { customers: 50, accounts: 10, seed: 42, numberPrefix: 'C' });
    await generateSynthetic(db, { customers: 50, accounts: 10, seed: 43, numberPrefix: 'D' });
    const b = await customerNames('B');
    expect(await customerNames('C')).toEqual(b);
    expect(await customerNames('D')).not.toEqual(b);
  });

  it.each([
    [{ customers: -1, accounts: 0 }],
    [{ customers: 10, accounts: 10, overlap: { exact: 0.8, near: 0.5 } }],
    [{ customers: 10, accounts: 3, overlap: { duplicate: 0.2 } }],
  ])('refuses impossible options %j', async (options) => {
    await expect(generateSynthetic(db, options)).rejects.toMatchObject({ code: ErrorCode.InvalidInput });
  });
});
