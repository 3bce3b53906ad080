import { createRequire } from 'node:module';
import type { z } from 'zod';
import { completeActions } from './actions.js';
import { defuseLinksDeep } from './plain-text.js';
import { CARDS, type CardData, type CardName } from './registry.js';
import { deepFreeze } from '../core/freeze.js';

/**
 * adaptivecards-templating's own typings import `adaptivecards/src/*.ts`, which does not compile under
 * this project's settings once adaptivecards is installed; so the module is loaded untyped and given the
 * one signature used here.
 */
interface TemplateEngine {
  Template: new (payload: unknown) => { expand(context: { $root: unknown }): unknown };
}
const ACData = createRequire(import.meta.url)('adaptivecards-templating') as TemplateEngine;
type Template = InstanceType<TemplateEngine['Template']>;

/**
 * Building a Template parses every expression in it (10–20 ms for a large card under load); expanding
 * a parsed one is well under a millisecond and leaves it unchanged, so each template is parsed once.
 */
const parsedTemplates = new WeakMap<object, Template>();
function templateFor(json: unknown): Template {
  const key = json as object;
  let template = parsedTemplates.get(key);
  if (!template) {
    template = new ACData.Template(json);
    parsedTemplates.set(key, template);
  }
  return template;
}

/** Teams refuses large cards; above this, callers must paginate (design.md "Teams conventions"). */
export const MAX_CARD_BYTES = 80 * 1024;

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** The JSON of one Adaptive Card, ready to be an attachment's `content`. */
export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

export type CardRenderFailure = 'unknown-card' | 'invalid-data' | 'leftover-expression' | 'too-large';

/** A card that cannot be sent. Always a programming error in the caller or a template, never a user's. */
export class CardRenderError extends Error {
  override readonly name = 'CardRenderError';
  constructor(
    readonly card: string,
    readonly reason: CardRenderFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(data)'}: ${i.message}`)
    .join('; ');
}

type JsonObject = Record<string, unknown>;
const isPlainObject = (v: unknown): v is JsonObject => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** Every key and string value, depth first, each object's key before its value. */
function eachText(node: unknown, visit: (text: string) => void): void {
  if (typeof node === 'string') visit(node);
  else if (Array.isArray(node)) for (const n of node) eachText(n, visit);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      visit(key);
      eachText(value, visit);
    }
  }
}

/** At most this many bytes of JSON per UTF-16 unit: `\u001f` is 6, a surrogate pair is 4 UTF-8 bytes. */
const MAX_JSON_BYTES_PER_UNIT = 6;
/** Bytes a number, boolean or null can take as JSON, with its separator ("-1.2345678901234567e+308,"). */
const MAX_SCALAR_BYTES = 25;

/**
 * One walk over the expanded card, finding:
 * - the first text still holding `${…}` — the templating engine leaves an expression in place when it
 *   cannot evaluate it, a template bug — except where the data itself contained `${` (a customer may
 *   really be called that);
 * - an upper bound of the card's JSON size, so that the exact size is only computed near the limit.
 */
function scanCard(card: unknown, data: unknown): { leftover?: string; maxBytes: number } {
  const fromData: string[] = [];
  eachText(data, (s) => s.includes('${') && fromData.push(s));
  let leftover: string | undefined;
  let maxBytes = 0;
  const text = (s: string) => {
    maxBytes += s.length * MAX_JSON_BYTES_PER_UNIT + 3; // quotes and a ":" or ","
    if (leftover !== undefined || !s.includes('${')) return;
    let rest = s;
    for (const d of fromData) rest = rest.split(d).join('');
    if (rest.includes('${')) leftover = s;
  };
  const walk = (node: unknown): void => {
    if (typeof node === 'string') text(node);
    else if (Array.isArray(node)) {
      maxBytes += 2;
      for (const n of node) walk(n);
    } else if (isPlainObject(node)) {
      maxBytes += 2;
      for (const [key, value] of Object.entries(node)) {
        text(key);
        walk(value);
      }
    } else if (node === null || node === undefined || typeof node === 'number' || typeof node === 'boolean') {
      maxBytes += MAX_SCALAR_BYTES;
    } else {
      maxBytes = Infinity; // not plain JSON (a Date, say): measured exactly
      eachText(node, text);
    }
  };
  walk(card);
  return { leftover, maxBytes };
}

/**
 * Validates `data` against the card's schema, expands its template, completes its actions, and refuses
 * leftovers and oversize cards. Throws CardRenderError naming the card and the field. The card returned
 * is frozen: it may be shared with other replies.
 */
export function renderCard<N extends CardName>(name: N, data: CardData<N>): AdaptiveCardJson {
  const definition = Object.hasOwn(CARDS, name) ? CARDS[name] : undefined;
  if (!definition)
    throw new CardRenderError(String(name), 'unknown-card', `There is no card named "${String(name)}".`);
  return expandCard(name, definition, data);
}

/** The renderer's steps for any schema and template (exported for tests of broken templates). */
export function expandCard(
  name: string,
  definition: { schema: z.ZodType; template: unknown },
  data: unknown,
): AdaptiveCardJson {
  // The same data gives the same card: help, mappings and a record shown again are drawn from the
  // memo, skipping the schema check and the template. Only data that passed the schema is memoised.
  const key = memoKey(data);
  const memo = memoFor(definition);
  const known = key === undefined ? undefined : memo.get(key);
  if (known) {
    memo.delete(key!); // most recently used goes last
    memo.set(key!, known);
    return known;
  }
  const parsed = definition.schema.safeParse(data);
  if (!parsed.success) {
    throw new CardRenderError(
      name,
      'invalid-data',
      `Card "${name}" data is invalid: ${describeIssues(parsed.error)}`,
      {
        cause: parsed.error,
      },
    );
  }
  const card = freshCard(name, definition, parsed.data);
  if (key === undefined) return card;
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  memo.set(key, deepFreeze(card));
  return card;
}

/**
 * The data as JSON, Dates tagged: a Date and the string of its JSON are different data to a schema
 * (`When` formats the one and keeps the other). Undefined when the data has no JSON (a cycle, a
 * BigInt): such data is never memoised.
 */
function memoKey(data: unknown): string | undefined {
  try {
    return JSON.stringify(data, function (this: Record<string, unknown>, name, value: unknown) {
      const raw = this[name];
      return raw instanceof Date ? `\u0000date:${String(value)}` : value;
    });
  } catch {
    return undefined;
  }
}

/** Cards kept per card name, least recently used dropped first. */
const MEMO_SIZE = 32;
const memos = new WeakMap<object, Map<string, AdaptiveCardJson>>();
function memoFor(definition: object): Map<string, AdaptiveCardJson> {
  let memo = memos.get(definition);
  if (!memo) memos.set(definition, (memo = new Map()));
  return memo;
}

function freshCard(name: string, definition: { template: unknown }, data: unknown): AdaptiveCardJson {
  const expanded: unknown = templateFor(definition.template).expand({ $root: defuseLinksDeep(data) });
  const card = completeActions(expanded, name) as AdaptiveCardJson;
  const { leftover, maxBytes } = scanCard(card, data);
  if (leftover !== undefined) {
    throw new CardRenderError(
      name,
      'leftover-expression',
      `Card "${name}" has an unexpanded expression: ${leftover}`,
    );
  }
  const bytes = maxBytes <= MAX_CARD_BYTES ? 0 : Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > MAX_CARD_BYTES) {
    throw new CardRenderError(
      name,
      'too-large',
      `Card "${name}" is ${bytes} bytes; Teams cards must stay under ${MAX_CARD_BYTES}. Show fewer rows and page.`,
    );
  }
  return card;
}

/** The attachment Teams expects for a card (botbuilder's CardFactory.adaptiveCard does the same). */
export const cardAttachment = (card: AdaptiveCardJson) => ({
  contentType: ADAPTIVE_CARD_CONTENT_TYPE,
  content: card,
});
