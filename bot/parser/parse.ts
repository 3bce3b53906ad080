import { firstWord, matchGrammar, type Grammar, type MatchFailure } from './grammar.js';
import { stripMentions } from './mentions.js';
import { closest } from './suggest.js';
import { tokenize, type Token } from './tokenize.js';
import { describe } from './slots.js';

/** Longer text is refused before any work: commands are short, and parsing is not free. */
export const MAX_COMMAND_LENGTH = 2000;

export interface Parsable {
  readonly grammars: readonly Grammar[];
  /** A complete example, shown when the user got this command almost right. */
  readonly example: string;
}

export type ParseResult<C> =
  { ok: true; command: C; values: Record<string, unknown> } | { ok: false; message: string };

const HELP_HINT = 'Type help to see what I can do.';

/** Text → the first command whose grammar matches, or the most helpful explanation of what is wrong. */
export function parseCommand<C extends Parsable>(text: string, commands: readonly C[]): ParseResult<C> {
  if (text.length > MAX_COMMAND_LENGTH) {
    const size = text.length.toLocaleString('en-US');
    return {
      ok: false,
      message: `That message is too long (${size} characters); commands are at most 2,000.`,
    };
  }
  const tokenized = tokenize(stripMentions(text));
  if (!tokenized.ok) return tokenized;
  const tokens = tokenized.tokens;
  if (tokens.length === 0) return { ok: false, message: `Hi! ${HELP_HINT}` };

  const failures: Array<MatchFailure & { command: C; size: number; expected?: string }> = [];
  for (const command of commands) {
    for (const grammar of command.grammars) {
      const result = matchGrammar(grammar, tokens);
      if (result.ok) return { ok: true, command, values: result.values };
      if (result.at > 0) {
        failures.push({
          ...result,
          command,
          size: grammar.parts.length,
          expected: expectedLiteral(grammar, result),
        });
      }
    }
  }
  // The failure that got furthest explains best; among equals, the simplest grammar gives the clearest example.
  const better = (f: (typeof failures)[number], b: (typeof failures)[number]) =>
    f.at - b.at || f.rank - b.rank || b.size - f.size;
  const best = failures.reduce<(typeof failures)[number] | undefined>(
    (b, f) => (!b || better(f, b) > 0 ? f : b),
    undefined,
  );
  if (!best) return unknownCommand(tokens, commands);
  if (best.rank === 0) return expectedOneOf(tokens, failures, best.at);
  return { ok: false, message: `${best.message} For example: ${best.command.example}` };
}

function expectedLiteral(grammar: Grammar, failure: MatchFailure): string | undefined {
  if (failure.rank !== 0) return undefined;
  const part = grammar.parts[failure.at];
  return part?.kind === 'literal' ? part.word : undefined;
}

/** "sandbox frob" → "After 'sandbox' I expected edit, delete, add or reset." */
function expectedOneOf(
  tokens: readonly Token[],
  failures: ReadonlyArray<{ at: number; expected?: string }>,
  at: number,
) {
  const words = [
    ...new Set(failures.filter((f) => f.at === at && f.expected).map((f) => f.expected as string)),
  ];
  const prefix = tokens.slice(0, at).map(describe).join(' ');
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? '');
  return { ok: false as const, message: `After '${prefix}' I expected ${list}. ${HELP_HINT}` };
}

function unknownCommand<C extends Parsable>(tokens: readonly Token[], commands: readonly C[]) {
  const first = tokens[0] as Token;
  const word = describe(first);
  const verbs = [...new Set(commands.flatMap((c) => c.grammars.map(firstWord)))];
  const suggestion = first.kind === 'word' ? closest(word.toLowerCase(), verbs) : undefined;
  const shown = word.length > 40 ? `${word.slice(0, 40)}…` : word;
  const message = suggestion
    ? `I don't know '${shown}' — did you mean ${suggestion}? ${HELP_HINT}`
    : `I don't know the command '${shown}'. ${HELP_HINT}`;
  return { ok: false as const, message };
}
