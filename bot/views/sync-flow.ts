import { bcName } from '../../core/coupling/labels.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import type { IntegrationTableMapping } from '../../core/model/mapping.js';
import type { BcRecord } from '../../core/model/record.js';
import type { SyncOption } from '../../core/sync/change-detection.js';
import { OPTION_WORDS } from '../../core/sync/sync-service.js';
import type { Replies } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { card } from './cards.js';
import { directionCardData } from './sync-choice.js';
import { syncResultCard } from './sync-result.js';

function notCoupled(m: IntegrationTableMapping, records: readonly BcRecord[]): DomainError {
  const word = m.bcTable.toLowerCase();
  const [first] = records;
  if (records.length === 1 && first) {
    return new DomainError(
      ErrorCode.NotCoupled,
      `${m.bcTable} ${first.number} is not coupled. Couple it first: couple ${word} ${first.number}`,
    );
  }
  const numbers = records.slice(0, 10).map((r) => r.number);
  return new DomainError(
    ErrorCode.NotCoupled,
    `None of these ${records.length} ${m.bcTable} records is coupled (${numbers.join(', ')}${records.length > 10 ? ', …' : ''}). ` +
      `Couple them first, e.g. couple ${word} ${first?.number ?? ''}`.trimEnd(),
  );
}

/**
 * Runs Synchronize Now in the chosen direction: one record answers with its result card; several
 * are a job, answered at once with a running card that is updated when the job finishes.
 */
export async function runSynchronizeNow(
  mapping: string,
  bcIds: readonly string[],
  direction: string,
  turn: TurnRequest,
  services: BotServices,
): Promise<Replies> {
  const words = OPTION_WORDS[direction as SyncOption] ?? direction;
  if (bcIds.length === 1) {
    const result = await services.sync.synchronizeNow(turn.actor, mapping, bcIds, direction);
    return syncResultCard(result, services, { direction: words });
  }
  return services.backgroundJobs.start(turn, words, (options) =>
    services.sync.synchronizeNow(turn.actor, mapping, bcIds, direction, options),
  );
}

/**
 * `sync customer 10000 …` and Synchronize Now on the record card (domain.md §3): the direction card
 * when the mapping offers a choice, straight to work when it does not; uncoupled records are named.
 */
export async function synchronizeRecords(
  m: IntegrationTableMapping,
  records: readonly BcRecord[],
  turn: TurnRequest,
  services: BotServices,
): Promise<Replies> {
  const ids = records.map((r) => r.id);
  const choice = await services.sync.recommend(m.name, ids);
  if (!choice.records.some((r) => r.coupled)) throw notCoupled(m, records);
  const [only] = choice.options;
  if (choice.options.length === 1 && only) return runSynchronizeNow(m.name, ids, only, turn, services);
  const labels = new Map(records.map((r) => [r.id, { number: r.number, name: bcName(r) }]));
  return card('syncDirection', directionCardData(m, choice, labels));
}
