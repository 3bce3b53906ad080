import { ActivityTypes, TurnContext } from 'botbuilder';
import { isVerb } from '../cards/verbs.js';
import { DomainError, ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { FORGED_DATA, type Action } from './actions/action.js';
import type { CardSeal } from './card-seal.js';
import { SIGNATURE, SIGNED_KEYS } from './card-seal.js';
import type { Command } from './commands/command.js';
import { replyForError } from './errors.js';
import { parseCommand } from './parser/parse.js';
import { textReply, type Replier, type Replies } from './reply.js';
import type { BotServices } from './services.js';
import { turnRequest, type TurnRequest } from './turn.js';

export interface BotDeps {
  commands: readonly Command[];
  actions: readonly Action[];
  services: BotServices;
  replier: Replier;
  seal: CardSeal;
  logger: Logger;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const WELCOME =
  'Hi! I couple and synchronize records between Business Central and Dataverse. Type help to see what I can do.';

/**
 * The bot's turn logic: text → the command table, card clicks (Action.Execute invokes and Action.Submit
 * fallbacks) → the action table. Handlers return values; `replier` sends them.
 */
export function createBot(deps: BotDeps): (context: TurnContext) => Promise<void> {
  const actions = new Map(deps.actions.map((a) => [a.verb, a]));

  const guarded = async (turn: TurnRequest, work: () => Promise<Replies>): Promise<Replies> => {
    try {
      return await work();
    } catch (err) {
      return replyForError(err, turn);
    }
  };

  const runCommand = async (text: string, turn: TurnRequest): Promise<Replies> => {
    const parsed = parseCommand(text, deps.commands);
    if (!parsed.ok) return textReply(parsed.message);
    turn.logger.info({ command: parsed.command.patterns[0] }, 'command');
    return parsed.command.run(parsed.values, turn, deps.services);
  };

  /** Card data is untrusted: known verb, a plain object, a valid seal — then the action's own schema. */
  const runAction = async (verb: unknown, data: unknown, turn: TurnRequest): Promise<Replies> => {
    const action = isVerb(verb) ? actions.get(verb) : undefined;
    if (!action || !isVerb(verb)) {
      throw new DomainError(
        ErrorCode.InvalidInput,
        'That button is not one I know (the card may be from an older version). Nothing was changed.',
      );
    }
    const payload = isObject(data) ? data : {};
    if (!deps.seal.verify(verb, payload)) {
      turn.logger.warn({ verb }, 'card data failed its seal');
      throw new DomainError(ErrorCode.InvalidInput, FORGED_DATA);
    }
    const { [SIGNED_KEYS]: _k, [SIGNATURE]: _s, msteams: _m, verb: _v, ...clean } = payload;
    turn.logger.info({ verb }, 'card action');
    return action.run(clean, turn, deps.services);
  };

  return async (context) => {
    const turn = turnRequest(context, deps.logger);
    const { activity } = context;

    if (activity.type === ActivityTypes.Invoke && activity.name === 'adaptiveCard/action') {
      const action = isObject(activity.value) && isObject(activity.value.action) ? activity.value.action : {};
      const replies = await guarded(turn, () => runAction(action.verb, action.data, turn));
      return deps.replier.answerInvoke(context, replies);
    }

    if (activity.type === ActivityTypes.Message) {
      // Action.Submit fallback: the card's data arrives as the message value, the verb inside it.
      if (isObject(activity.value) && typeof activity.value.verb === 'string') {
        const value = activity.value;
        const replies = await guarded(turn, () => runAction(value.verb, value, turn));
        return deps.replier.replaceCard(context, replies);
      }
      // A message with a mention but no text (only an attachment) would make the SDK call undefined.replace.
      const text =
        typeof activity.text === 'string' ? (TurnContext.removeRecipientMention(activity) ?? '') : '';
      const replies = await guarded(turn, () => runCommand(text, turn));
      return deps.replier.send(context, replies);
    }

    if (activity.type === ActivityTypes.ConversationUpdate) {
      const botAdded = activity.membersAdded?.some((m) => m.id === activity.recipient?.id);
      if (botAdded) await deps.replier.send(context, textReply(WELCOME));
    }
  };
}
