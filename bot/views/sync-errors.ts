import { MAX_ERRORS_PER_CARD, type SyncErrorsCardData } from '../../cards/index.js';
import type { BcTable, DvTable } from '../../core/model/tables.js';
import type { SyncError } from '../../core/sync/sync-error-repository.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { card } from './cards.js';
import { cardLinks, type CardLinks } from './links.js';
import { bcNames, clip } from './sync-names.js';

const utc = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** What kind of error, in BC's words. */
export function kindLabel(e: SyncError): string {
  if (e.kind === 'conflict') return 'Update conflict';
  if (e.kind === 'pingPong') return 'Changed on both sides on every run';
  if (e.kind === 'deletion')
    return `Deletion conflict: ${e.missingSide === 'bc' ? 'Business Central record' : 'Dataverse row'} deleted`;
  return e.waitingFor ? `Waiting for ${e.waitingFor} (retried by every run)` : 'Failed';
}

/** The marker of a record that loops: how many runs in a row, since when. Empty for the others. */
export function recurringNote(e: SyncError): string {
  return e.recurringSince ? `Recurring: ${e.streak} runs in a row since ${utc(e.recurringSince)}` : '';
}

function kindText(e: SyncError): string {
  const parts = [kindLabel(e), recurringNote(e), e.occurrences > 1 ? `seen ${e.occurrences} times` : ''];
  return parts.filter(Boolean).join(' · ');
}

/** The buttons BC offers for the kind of error; Delete Records only to managers (core checks again). */
function actionsFor(e: SyncError, isManager: boolean) {
  const deletion = e.kind === 'deletion';
  return {
    retry: true,
    synchronize: !deletion,
    deleteCoupling: true,
    restore: deletion,
    deleteRecord: deletion && isManager,
  };
}

/** Where the error's records live; not the side a deletion conflict says is gone. */
function errorLinks(
  e: SyncError,
  tables: { bc: BcTable; dv: DvTable } | undefined,
  services: BotServices,
): Promise<CardLinks> {
  if (!tables) return Promise.resolve({ bc: '', dv: '' });
  const bc = e.bcNumber && e.missingSide !== 'bc' ? { table: tables.bc, number: e.bcNumber } : null;
  const dv = e.dvId && e.missingSide !== 'dv' ? { table: tables.dv, id: e.dvId } : null;
  return cardLinks(services, bc, dv);
}

/** Retry All acts on one mapping: the one asked for, or the only one all open errors belong to. */
async function retryAllMapping(
  scope: string | undefined,
  listed: readonly SyncError[],
  total: number,
  services: BotServices,
): Promise<string> {
  if (scope !== undefined) return total > 0 ? scope : '';
  const names = [...new Set(listed.map((e) => e.mapping))];
  const [only] = names;
  if (names.length !== 1 || !only) return '';
  return (await services.syncErrors.countOpen(only)) === total ? only : '';
}

/**
 * `errors [mapping] [recurring]`: the most recent open errors with their actions, and how many there
 * are; `recurring` lists only records that loop (and offers no Retry All, which acts on every error).
 */
export async function syncErrorsData(
  scope: string | undefined,
  turn: TurnRequest,
  services: BotServices,
  options: { recurring?: boolean } = {},
): Promise<SyncErrorsCardData> {
  const recurring = options.recurring === true;
  const filter = { ...(scope === undefined ? {} : { mapping: scope }), ...(recurring ? { recurring } : {}) };
  const listed = await services.syncErrors.list({ ...filter, limit: MAX_ERRORS_PER_CARD });
  const total = await services.syncErrors.countOpen(scope, recurring ? { recurring } : {});
  const names = new Map<string, string>();
  const tables = new Map<string, { bc: BcTable; dv: DvTable }>();
  for (const name of new Set(listed.map((e) => e.mapping))) {
    const m = await services.mappings.get(name);
    tables.set(name, { bc: m.bcTable, dv: m.dvTable });
    const ids = listed.filter((e) => e.mapping === name).map((e) => e.bcId);
    for (const [id, n] of await bcNames(services, m.bcTable, ids)) names.set(id, n);
  }
  const links = await Promise.all(listed.map((e) => errorLinks(e, tables.get(e.mapping), services)));
  const isManager = services.roles.isManager(turn.actor);
  const retryAll = recurring ? '' : await retryAllMapping(scope, listed, total, services);
  return {
    scope: scope ?? 'all table mappings',
    recurringOnly: recurring,
    mapping: retryAll,
    total,
    errors: listed.map((e, i) => ({
      id: e.id,
      mapping: e.mapping,
      number: e.bcNumber || '(unknown)',
      name: clip(names.get(e.bcId) ?? ''),
      kind: kindText(e),
      message: clip(e.message, 4000),
      at: e.lastSeenAt,
      actions: actionsFor(e, isManager),
      links: links[i] ?? { bc: '', dv: '' },
    })),
    canRetryAll: retryAll !== '',
  };
}

export async function syncErrorsCard(
  scope: string | undefined,
  turn: TurnRequest,
  services: BotServices,
  options: { recurring?: boolean } = {},
): Promise<Reply> {
  return card('syncErrors', await syncErrorsData(scope, turn, services, options));
}
