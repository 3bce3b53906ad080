import type { Token } from './tokenize.js';
import { closest } from './suggest.js';
import {
  BC_WORDS,
  DIRECTION_WORDS,
  DV_WORDS,
  ENTITY_WORDS,
  bcTableFor,
  DELETION_CONFLICT_CHOICES,
  deletionConflictFor,
  directionFor,
  dvTableFor,
  singular,
  switchFor,
  UPDATE_CONFLICT_CHOICES,
  updateConflictFor,
} from './words.js';
import { mappingNameFor } from './mapping-names.js';

/** What a slot made of the tokens at `at`, or why it could not. */
export type SlotResult =
  | { ok: true; value: unknown; next: number }
  | { ok: false; message: string; /** the message names a close known word */ suggested?: boolean };
export type SlotParser = (tokens: readonly Token[], at: number) => SlotResult;

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** BC numbers and codes: Code[20], letters, digits and a few separators ("1896-S", "CT000001"). */
export const BC_NUMBER = /^(?!.*\.\.)[A-Z0-9][A-Z0-9 ._/-]{0,19}$/;

const fail = (message: string): SlotResult => ({ ok: false, message });
const done = (value: unknown, next: number): SlotResult => ({ ok: true, value, next });
const textOf = (t: Token | undefined): string | undefined =>
  t?.kind === 'word' || t?.kind === 'quoted' ? t.text : undefined;

function unknownWord(word: string, known: readonly string[], what: string): SlotResult {
  const suggestion = closest(singular(word), known);
  return suggestion
    ? { ok: false, message: `I don't know '${word}' — did you mean ${suggestion}?`, suggested: true }
    : fail(`I don't know '${word}'. ${what}: ${known.join(', ')}.`);
}

function entitySlot(side: 'bc' | 'dv'): SlotParser {
  const resolve = side === 'bc' ? bcTableFor : dvTableFor;
  const own = side === 'bc' ? BC_WORDS : DV_WORDS;
  const label = side === 'bc' ? 'Business Central tables' : 'Dataverse tables';
  return (tokens, at) => {
    const word = textOf(tokens[at]);
    if (word === undefined) return fail(`Which table? ${label}: ${own.join(', ')}.`);
    const table = resolve(word);
    if (table) return done(table, at + 1);
    const other = side === 'bc' ? dvTableFor(word) : bcTableFor(word);
    if (other) return fail(`'${word}' is not one of the ${label} here: ${own.join(', ')}.`);
    return unknownWord(word, own, label);
  };
}

/** Either side; `contact` is both, so the command decides with the record key that follows. */
const anyEntity: SlotParser = (tokens, at) => {
  const word = textOf(tokens[at]);
  if (word === undefined) return fail(`Which table? Tables: ${ENTITY_WORDS.join(', ')}.`);
  const bc = bcTableFor(word);
  const dv = dvTableFor(word);
  if (!bc && !dv) return unknownWord(word, ENTITY_WORDS, 'Tables');
  return done({ bc, dv }, at + 1);
};

function bcNumber(token: Token | undefined): string | undefined {
  const text = textOf(token)?.toUpperCase();
  return text !== undefined && BC_NUMBER.test(text) ? text : undefined;
}

const number: SlotParser = (tokens, at) => {
  const token = tokens[at];
  if (token === undefined) return fail('Which record? Add its number.');
  const n = bcNumber(token);
  return n
    ? done(n, at + 1)
    : fail(`'${describe(token)}' is not a Business Central number (like 10000 or 1896-S).`);
};

/** One or more numbers and ranges up to the end: the handler expands ranges to records that exist. */
const numbers: SlotParser = (tokens, at) => {
  if (tokens[at] === undefined)
    return fail('Which records? Add their numbers, e.g. 10000 20000 or 10000..30000.');
  const picked: Array<{ number: string } | { from: string; to: string }> = [];
  for (let i = at; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'range') {
      const from = bcNumber({ kind: 'word', text: t.from });
      const to = bcNumber({ kind: 'word', text: t.to });
      if (!from || !to) return fail(`'${t.from}..${t.to}' is not a range of numbers (like 10000..30000).`);
      picked.push({ from, to });
      continue;
    }
    const n = bcNumber(t);
    if (!n) return fail(`'${describe(t)}' is not a Business Central number (like 10000 or 1896-S).`);
    picked.push({ number: n });
  }
  return done(picked, tokens.length);
};

const guid: SlotParser = (tokens, at) => {
  const text = textOf(tokens[at]);
  if (text === undefined) return fail('Which row? Add its Dataverse id (a GUID).');
  return GUID.test(text)
    ? done(text.toLowerCase(), at + 1)
    : fail(`'${text}' is not a Dataverse id (a GUID).`);
};

/** A job id as `status` shows it; core checks it again before it reaches a filter. */
const jobId: SlotParser = (tokens, at) => {
  const text = textOf(tokens[at]);
  if (text === undefined) return fail('Which job? Add its id; type status to see recent jobs and their ids.');
  return GUID.test(text)
    ? done(text.toLowerCase(), at + 1)
    : fail(`'${text}' is not a job id; type status to see recent jobs and their ids.`);
};

/** Quotes left empty, or holding only markup that Teams' mention stripping removed (e.g. "<img …>"). */
const EMPTY_QUOTES =
  'The name in quotes is empty; put the exact name between them, e.g. "Adatum Corporation".';

/** A Dataverse row by id, or by exact name: quoted, or the remaining words. */
const rowRef: SlotParser = (tokens, at) => {
  const first = tokens[at];
  if (first === undefined) return fail('Which row? Add its id or its exact name in quotes.');
  if (first.kind === 'quoted' && first.text.trim() === '') return fail(EMPTY_QUOTES);
  if (first.kind === 'quoted') return done({ name: first.text }, at + 1);
  if (first.kind === 'word' && GUID.test(first.text)) return done({ id: first.text.toLowerCase() }, at + 1);
  const words = tokens.slice(at).map(textOf);
  if (words.some((w) => w === undefined))
    return fail('Put the row name in quotes, e.g. "Adatum Corporation".');
  return done({ name: words.join(' ') }, tokens.length);
};

/** A record in either system for sandbox commands: a GUID, a quoted name, or a number. */
const recordKey: SlotParser = (tokens, at) => {
  const token = tokens[at];
  if (token === undefined) return fail('Which record? Add its number, id, or name in quotes.');
  if (token.kind === 'quoted' && token.text.trim() === '') return fail(EMPTY_QUOTES);
  if (token.kind === 'quoted') return done({ name: token.text }, at + 1);
  if (token.kind === 'word' && GUID.test(token.text)) return done({ id: token.text.toLowerCase() }, at + 1);
  const n = bcNumber(token);
  return n
    ? done({ number: n }, at + 1)
    : fail(`'${describe(token)}' is not a number, an id or a quoted name.`);
};

const mapping: SlotParser = (tokens, at) => {
  const text = textOf(tokens[at]);
  if (text === undefined)
    return fail('Which mapping? For example customers or ITEM-PRODUCT; type mappings to see them.');
  return done(mappingNameFor(text), at + 1);
};

const direction: SlotParser = (tokens, at) => {
  const text = textOf(tokens[at]);
  if (text === undefined) return fail(`Which direction? ${DIRECTION_WORDS.join(', ')}.`);
  const d = directionFor(text);
  return d ? done(d, at + 1) : unknownWord(text, DIRECTION_WORDS, 'Directions');
};

/** A conflict setting's value: the word is checked here, the rule (bidirectional only…) in core. */
function choiceSlot(
  setting: string,
  choices: readonly string[],
  resolve: (w: string) => unknown,
): SlotParser {
  return (tokens, at) => {
    const text = textOf(tokens[at]);
    if (text === undefined) return fail(`Which ${setting}? Choose ${choices.join(', ')}.`);
    const value = resolve(text);
    if (value !== undefined) return done(value, at + 1);
    return fail(`'${text}' is not a choice for ${setting}. Choose ${choices.join(', ')}.`);
  };
}

const onOff: SlotParser = (tokens, at) => {
  const text = textOf(tokens[at]);
  if (text === undefined) return fail('On or off?');
  const v = switchFor(text);
  return v === undefined ? fail(`'${text}' is not on or off.`) : done(v, at + 1);
};

/** key="value" pairs up to the end, at least one. */
const pairs: SlotParser = (tokens, at) => {
  if (tokens[at] === undefined)
    return fail('Add the fields to set as key="value", e.g. phone="+1 425 555 0100".');
  const fields: Record<string, string> = {};
  for (let i = at; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'pair') return fail(`'${describe(t)}' is not a key="value" pair.`);
    fields[t.key] = t.value;
  }
  return done(fields, tokens.length);
};

export function describe(token: Token): string {
  switch (token.kind) {
    case 'word':
    case 'quoted':
      return token.text;
    case 'pair':
      return `${token.key}=${token.value}`;
    case 'range':
      return `${token.from}..${token.to}`;
  }
}

export const SLOTS = {
  bc: entitySlot('bc'),
  dv: entitySlot('dv'),
  entity: anyEntity,
  no: number,
  nos: numbers,
  guid,
  job: jobId,
  ref: rowRef,
  key: recordKey,
  mapping,
  dir: direction,
  updconf: choiceSlot('Resolve Update Conflicts', UPDATE_CONFLICT_CHOICES, updateConflictFor),
  delconf: choiceSlot('Resolve Deletion Conflicts', DELETION_CONFLICT_CHOICES, deletionConflictFor),
  onoff: onOff,
  pairs,
} as const satisfies Record<string, SlotParser>;
export type SlotType = keyof typeof SLOTS;
