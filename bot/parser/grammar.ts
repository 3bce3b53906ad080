import { SLOTS, describe, type SlotType } from './slots.js';
import type { Token } from './tokenize.js';
import { closest } from './suggest.js';

/**
 * A command's grammar, written like its usage: `couple {entity:bc} {no:no} to {dv:dv} {row:ref}`.
 * Plain words are literals (case-insensitive; dashes optional), `{name:type}` are slots (see SLOTS).
 */
type Part = { kind: 'literal'; word: string } | { kind: 'slot'; name: string; type: SlotType };
export interface Grammar {
  readonly pattern: string;
  readonly parts: readonly Part[];
}

/** How far a failed match got; the parser reports the failure that got furthest. */
export interface MatchFailure {
  at: number;
  /** Among failures at the same position: 2 names a close known word, 1 a slot, 0 a literal. */
  rank: number;
  message: string;
}
export type MatchResult = { ok: true; values: Record<string, unknown> } | ({ ok: false } & MatchFailure);

const fold = (w: string): string => w.toLowerCase().replace(/[-_]/g, '');

export function compileGrammar(pattern: string): Grammar {
  const parts = pattern
    .trim()
    .split(/\s+/)
    .map((piece): Part => {
      const slot = /^\{(\w+):(\w+)\}$/.exec(piece);
      if (!slot) return { kind: 'literal', word: piece.toLowerCase() };
      const [, name = '', type = ''] = slot;
      if (!(type in SLOTS)) throw new Error(`Grammar "${pattern}": unknown slot type "${type}"`);
      return { kind: 'slot', name, type: type as SlotType };
    });
  if (parts[0]?.kind !== 'literal') throw new Error(`Grammar "${pattern}" must start with a word`);
  return { pattern, parts };
}

export function firstWord(grammar: Grammar): string {
  const first = grammar.parts[0];
  return first?.kind === 'literal' ? first.word : '';
}

export function matchGrammar(grammar: Grammar, tokens: readonly Token[]): MatchResult {
  const values: Record<string, unknown> = {};
  let at = 0;
  for (const part of grammar.parts) {
    if (part.kind === 'literal') {
      const token = tokens[at];
      const word = token?.kind === 'word' ? token.text : undefined;
      if (word !== undefined && fold(word) === fold(part.word)) {
        at++;
        continue;
      }
      return literalMiss(part.word, token, at);
    }
    const result = SLOTS[part.type](tokens, at);
    if (!result.ok) return { ok: false, at, rank: result.suggested ? 2 : 1, message: result.message };
    values[part.name] = result.value;
    at = result.next;
  }
  if (at < tokens.length) {
    const rest = tokens.slice(at).map(describe).join(' ');
    return { ok: false, at, rank: 1, message: `I didn't understand '${rest}'.` };
  }
  return { ok: true, values };
}

function literalMiss(expected: string, token: Token | undefined, at: number): MatchResult {
  const word = token?.kind === 'word' ? token.text : undefined;
  if (word !== undefined && at > 0 && closest(fold(word), [fold(expected)])) {
    return { ok: false, at, rank: 2, message: `I don't know '${word}' — did you mean ${expected}?` };
  }
  const message = token
    ? `Expected '${expected}' instead of '${describe(token)}'.`
    : `Something is missing after that.`;
  return { ok: false, at, rank: 0, message };
}
