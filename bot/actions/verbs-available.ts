import type { Verb } from '../../cards/index.js';
import { ACTIONS } from './index.js';

/** Whether a button would be handled: cards only offer buttons this build can act on. */
export function hasAction(verb: Verb): boolean {
  return ACTIONS.some((a) => a.verb === verb);
}
