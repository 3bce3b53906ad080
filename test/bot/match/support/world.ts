import { createCardSeal } from '../../../../bot/card-seal.js';
import type { OutcomeKind } from '../../../../core/match/outcome.js';
import { StoredRowDoc } from '../../../../core/match/run-documents.js';
import type { Fields } from '../../../../core/model/record.js';
import { SandboxBusinessCentral } from '../../../../connectors/sandbox/sandbox-business-central.js';
import { SandboxDataverse } from '../../../../connectors/sandbox/sandbox-dataverse.js';
import { SANDBOX_COMPANY_ID } from '../../../../connectors/sandbox/seed.js';
import { ADA, CAROL, type TeamsUser } from '../../teams-activity.js';
import type { MatchHarness } from './match-harness.js';

/** A second manager. */
export { CAROL };

/** The card seal key is known, so tests can forge data a client could send with a valid seal. */
export const SEAL_SECRET = 'match-tests-seal-secret';

/** Card data signed as the bot would (the key is the test configuration's): what a client that changed it sends. */
export function sealedData(verb: string, data: Record<string, unknown>): Record<string, unknown> {
  const card = createCardSeal(SEAL_SECRET).seal({
    type: 'AdaptiveCard',
    actions: [{ type: 'Action.Execute', verb, data }],
  });
  return (card.actions as Array<{ data: Record<string, unknown> }>)[0]?.data ?? {};
}

export const MATCH_ENV = {
  MANAGER_AAD_OBJECT_IDS: `${ADA.aadObjectId},${CAROL.aadObjectId}`,
  MicrosoftAppPassword: SEAL_SECRET,
};

export const actorOf = (u: TeamsUser) => ({ id: u.aadObjectId, name: u.name });

/** Demo data as seeded, no couplings, CUSTOMER with its default settings. */
export async function resetWorld(h: MatchHarness): Promise<void> {
  await h.say('sandbox reset', ADA);
  await h.bot.services.mappings.resetToDefaults(actorOf(ADA), 'CUSTOMER');
}

export const storedRuns = (h: MatchHarness): Promise<number> =>
  h.db.db.collection('matchRuns').countDocuments();

/** The row id (`<position>:<BC id>`) of the first row of a kind in a stored run. */
export async function rowIdOfKind(h: MatchHarness, runId: string, kind: OutcomeKind): Promise<string> {
  const page = await h.db.db.collection('matchRunRows').findOne({ runId, page: 0 });
  const rows = ((page?.rows ?? []) as unknown[]).map((r) => StoredRowDoc.parse(r));
  const i = rows.findIndex((r) => r.outcome.kind === kind);
  if (i < 0) throw new Error(`no ${kind} row in run ${runId}`);
  return `${i}:${rows[i]?.outcome.bc.id}`;
}

/** `n` more customers with exactly one matching account each (for paging). */
export async function addMatchingPairs(h: MatchHarness, n: number): Promise<void> {
  const bc = new SandboxBusinessCentral(h.db.db, { clock: h.clock });
  const dv = new SandboxDataverse(h.db.db, { clock: h.clock });
  const customers: Fields[] = [];
  const accounts: Fields[] = [];
  for (let i = 0; i < n; i++) {
    const name = `Paging Customer ${String(i).padStart(3, '0')}`;
    customers.push({ 'No.': `P${String(i).padStart(4, '0')}`, Name: name, Blocked: '' });
    accounts.push({ name, customertypecode: 3, statecode: 0, bcbi_companyid: SANDBOX_COMPANY_ID });
  }
  await bc.createMany('Customer', customers);
  await dv.createMany('account', accounts);
}
