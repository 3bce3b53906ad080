import { BC_ENTITY_WORDS, DV_ENTITY_WORDS, type BcTable, type DvTable } from '../../core/model/tables.js';
import type {
  DeletionConflictResolution,
  Direction,
  UpdateConflictResolution,
} from '../../core/model/mapping.js';
import { DELETION_CONFLICT_WORDS, UPDATE_CONFLICT_WORDS } from '../../core/mappings/setting-commands.js';

/** Irregular plurals and synonyms people type; everything else loses its plural by rule. */
const IRREGULAR: Record<string, string> = {
  salespeople: 'salesperson',
  salespersons: 'salesperson',
  currencies: 'currency',
  accounts: 'account',
  users: 'systemuser',
  user: 'systemuser',
};

/** "customers" → "customer", "currencies" → "currency"; words that are already singular stay. */
export function singular(word: string): string {
  const w = word.toLowerCase();
  const irregular = IRREGULAR[w];
  if (irregular) return irregular;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('s') && !w.endsWith('ss') && w.length > 3) return w.slice(0, -1);
  return w;
}

const has = <T extends object>(table: T, key: string): key is Extract<keyof T, string> =>
  Object.prototype.hasOwnProperty.call(table, key);

export function bcTableFor(word: string): BcTable | undefined {
  const w = singular(word);
  return has(BC_ENTITY_WORDS, w) ? BC_ENTITY_WORDS[w] : undefined;
}

export function dvTableFor(word: string): DvTable | undefined {
  const w = singular(word);
  return has(DV_ENTITY_WORDS, w) ? DV_ENTITY_WORDS[w] : undefined;
}

export const BC_WORDS = Object.keys(BC_ENTITY_WORDS);
export const DV_WORDS = Object.keys(DV_ENTITY_WORDS);
export const ENTITY_WORDS = [...new Set([...BC_WORDS, ...DV_WORDS])];

/** The words people use for a mapping's direction, each folded to lower case without separators. */
const DIRECTIONS: Record<string, Direction> = {
  bidirectional: 'Bidirectional',
  both: 'Bidirectional',
  tointegrationtable: 'ToIntegrationTable',
  todataverse: 'ToIntegrationTable',
  fromintegrationtable: 'FromIntegrationTable',
  fromdataverse: 'FromIntegrationTable',
  tobusinesscentral: 'FromIntegrationTable',
  tobc: 'FromIntegrationTable',
};
export const DIRECTION_WORDS = ['bidirectional', 'to-dataverse', 'from-dataverse'];

export function directionFor(word: string): Direction | undefined {
  const folded = word.toLowerCase().replace(/[-_ ]/g, '');
  return has(DIRECTIONS, folded) ? DIRECTIONS[folded] : undefined;
}

const ON = new Set(['on', 'true', 'yes', '1']);
const OFF = new Set(['off', 'false', 'no', '0']);
export function switchFor(word: string): boolean | undefined {
  const w = word.toLowerCase();
  return ON.has(w) ? true : OFF.has(w) ? false : undefined;
}

const fold = (word: string): string => word.toLowerCase().replace(/[-_ ]/g, '');

/** Resolve Update Conflicts: the command's words, and BC's own names folded. */
const UPDATE_CONFLICTS: Record<string, UpdateConflictResolution> = {
  none: 'None',
  send: 'Send Update to Integration',
  sendupdatetointegration: 'Send Update to Integration',
  get: 'Get Update from Integration',
  getupdatefromintegration: 'Get Update from Integration',
};
export const UPDATE_CONFLICT_CHOICES: readonly string[] = UPDATE_CONFLICT_WORDS;

export function updateConflictFor(word: string): UpdateConflictResolution | undefined {
  const folded = fold(word);
  return has(UPDATE_CONFLICTS, folded) ? UPDATE_CONFLICTS[folded] : undefined;
}

/** Resolve Deletion Conflicts: the command's words, and BC's own names folded. */
const DELETION_CONFLICTS: Record<string, DeletionConflictResolution> = {
  none: 'None',
  restore: 'Restore Records',
  restorerecords: 'Restore Records',
  removecoupling: 'Remove Coupling',
};
export const DELETION_CONFLICT_CHOICES: readonly string[] = DELETION_CONFLICT_WORDS;

export function deletionConflictFor(word: string): DeletionConflictResolution | undefined {
  const folded = fold(word);
  return has(DELETION_CONFLICTS, folded) ? DELETION_CONFLICTS[folded] : undefined;
}
