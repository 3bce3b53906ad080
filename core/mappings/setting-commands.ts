import type { IntegrationTableMapping } from '../model/mapping.js';

/**
 * The chat commands that change a mapping's settings, as every message that asks someone to change one
 * names them (`mapping customer update-conflicts send|get`). The mapping's name in lower case is what the
 * command takes: a table word for the default mappings (customer, salespeople) or the name itself.
 */
export const mappingCommand = (m: Pick<IntegrationTableMapping, 'name'>, setting: string): string =>
  `mapping ${m.name.toLowerCase()} ${setting}`;

/** Resolve Update Conflicts' words in chat, in the order of the setting's values. */
export const UPDATE_CONFLICT_WORDS = ['none', 'send', 'get'] as const;
/** Resolve Deletion Conflicts' words in chat, in the order of the setting's values. */
export const DELETION_CONFLICT_WORDS = ['none', 'restore', 'remove-coupling'] as const;

export const updateConflictsCommand = (
  m: Pick<IntegrationTableMapping, 'name'>,
  words = 'send|get',
): string => mappingCommand(m, `update-conflicts ${words}`);

export const deletionConflictsCommand = (
  m: Pick<IntegrationTableMapping, 'name'>,
  words = 'restore|remove-coupling',
): string => mappingCommand(m, `deletion-conflicts ${words}`);
