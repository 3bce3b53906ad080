import { renderCard } from '../../cards/index.js';
import type { MatchCriteria } from '../../core/match/criteria-model.js';
import { criteriaOf } from '../../core/match/criteria.js';
import type { OutcomeKind } from '../../core/match/outcome.js';
import type { IntegrationTableMapping } from '../../core/model/mapping.js';
import { cardReply, type AdaptiveCard, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';

/**
 * The Match-Based Coupling dialog for a mapping: its saved criteria unless others are given; `scope`
 * (core's scope text) travels with Run and Reset Criteria so the run stays limited to those records.
 */
export function criteriaCard(mapping: IntegrationTableMapping, criteria?: MatchCriteria, scope = ''): Reply {
  const data = {
    name: mapping.name,
    bcTable: mapping.bcTable,
    dvTable: mapping.dvTable,
    direction: mapping.direction,
    criteria: criteria ?? criteriaOf(mapping),
    scope,
  };
  return cardReply(renderCard('matchCriteria', data) as AdaptiveCard);
}

export interface ResultsView {
  /** The viewer may approve or reject (core's role rule; core checks again on the click). */
  canDecide: boolean;
  page?: number;
  kind?: OutcomeKind;
}

/**
 * The results card of a run as it stands now: counts, one page of rows, and — while it awaits a
 * decision and the viewer is a manager — the decision buttons. A decided run shows who, when and the
 * applied counts, with no buttons. A page past the end shows the last page.
 */
export async function resultsCardJson(
  services: BotServices,
  runId: string,
  view: ResultsView,
): Promise<AdaptiveCard> {
  const match = services.match.service;
  const run = await match.getRun(runId);
  const options = view.kind ? { kind: view.kind } : {};
  let rows = await match.getRowsPage(run.id, view.page ?? 0, options);
  if (rows.page >= rows.pages) rows = await match.getRowsPage(run.id, rows.pages - 1, options);
  const mapping = await services.mappings.get(run.mapping);
  return renderCard('matchResults', {
    run,
    rows,
    bcTable: mapping.bcTable,
    dvTable: mapping.dvTable,
    canDecide: view.canDecide,
  }) as AdaptiveCard;
}

/** As a reply; `rememberAs` where a new message with it must become a remembered copy of the run. */
export async function resultsCard(
  services: BotServices,
  runId: string,
  view: ResultsView,
  rememberAs?: string,
): Promise<Reply> {
  return cardReply(await resultsCardJson(services, runId, view), rememberAs);
}

/** Shown while a long run or approval is still working; replaced in place when it is done. */
export function progressCard(
  services: BotServices,
  by: string,
  title: string,
  line: string,
  more: { at?: Date; progress?: string } = {},
): Reply {
  return cardReply(
    renderCard('outcome', {
      title,
      by,
      at: more.at ?? services.clock.now(),
      lines: [line, ...(more.progress ? [more.progress] : []), 'This card is updated when it is done.'],
      tone: 'info',
    }) as AdaptiveCard,
  );
}
