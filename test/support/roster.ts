import type { Roster } from '../../bot/identity/roster.js';
import { TEST_USERS, type TeamsUser } from '../bot/teams-activity.js';

/**
 * The Teams roster for bots on botbuilder's TestAdapter (which has no Bot Connector to ask): the test
 * tenant's users by Entra object id, and the names they have there.
 */
export function testRoster(users: readonly TeamsUser[] = TEST_USERS): Roster {
  return async (_context, aadObjectId) =>
    users.find((u) => u.aadObjectId.toLowerCase() === aadObjectId.toLowerCase())?.name;
}
