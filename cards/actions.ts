import { isVerb } from './verbs.js';

/**
 * Every Action.Execute gets `data.verb` and an Action.Submit fallback here, in one place, so templates
 * stay short and no button can drift from its fallback. Teams clients without universal actions use the
 * fallback; the bot reads `value.verb` from the message activity and handles it like the invoke.
 */
type Json = unknown;
type JsonObject = { [key: string]: Json };

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Properties of Action.Execute that Action.Submit shares (Adaptive Cards 1.5). */
const SHARED = ['title', 'iconUrl', 'style', 'tooltip', 'isEnabled', 'associatedInputs', 'mode'] as const;

export class CardActionError extends Error {
  override readonly name = 'CardActionError';
}

function executeWithFallback(action: JsonObject, card: string): JsonObject {
  const verb = action['verb'];
  if (!isVerb(verb))
    throw new CardActionError(`Card "${card}": Action.Execute has unknown verb ${JSON.stringify(verb)}`);
  const given = action['data'] ?? {};
  if (!isObject(given)) throw new CardActionError(`Card "${card}": data of ${verb} must be an object`);
  if ('verb' in given && given['verb'] !== verb)
    throw new CardActionError(
      `Card "${card}": data.verb ${JSON.stringify(given['verb'])} differs from verb ${verb}`,
    );
  const data = { verb, ...given };
  const fallback: JsonObject = { type: 'Action.Submit', data };
  for (const key of SHARED) if (key in action) fallback[key] = action[key];
  return { ...action, data, fallback };
}

/** Returns a copy of the expanded card with every Action.Execute completed. */
export function completeActions(node: Json, card: string): Json {
  if (Array.isArray(node)) return node.map((n) => completeActions(n, card));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node))
    out[key] = key === 'data' ? value : completeActions(value, card);
  return out['type'] === 'Action.Execute' ? executeWithFallback(out, card) : out;
}
