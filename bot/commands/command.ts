import type { z } from 'zod';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { compileGrammar, type Grammar } from '../parser/grammar.js';
import type { Parsable } from '../parser/parse.js';
import type { Replies } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';

/**
 * One command (style.md §2): its grammar beside its handler, like the TeamsFx workflow bot's
 * `triggerPatterns` — but the handler receives services and returns values (cards or text).
 */
export interface CommandSpec<A> {
  /** Grammars in the parser's notation, e.g. `show {entity:bc} {no:no}`; the first that matches wins. */
  patterns: readonly string[];
  /** The slot values, validated and typed (the parser's output is only trusted after this). */
  args: z.ZodType<A>;
  /** A complete, working example: shown in help and in error messages. */
  example: string;
  handle(args: A, turn: TurnRequest, services: BotServices): Promise<Replies>;
}

export interface Command extends Parsable {
  readonly example: string;
  readonly patterns: readonly string[];
  run(values: Record<string, unknown>, turn: TurnRequest, services: BotServices): Promise<Replies>;
}

export function defineCommand<A>(spec: CommandSpec<A>): Command {
  return {
    example: spec.example,
    patterns: spec.patterns,
    grammars: spec.patterns.map(compileGrammar) satisfies Grammar[],
    async run(values, turn, services) {
      const parsed = spec.args.safeParse(values);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new DomainError(
          ErrorCode.InvalidInput,
          `${issue?.path.join('.') || 'Input'}: ${issue?.message ?? 'not valid'}. For example: ${spec.example}`,
        );
      }
      return spec.handle(parsed.data, turn, services);
    },
  };
}
