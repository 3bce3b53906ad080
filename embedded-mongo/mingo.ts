import { Decimal128, Long, type Document } from 'bson';
import { Aggregator as BaseAggregator } from 'mingo/aggregator';
import { Context } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query as BaseQuery } from 'mingo/query';
import type { Options, QueryOperator } from 'mingo/types';
import { update as baseUpdate, type Modifier } from 'mingo/updater';
import { decimalText, longText } from './bson-order.js';
import { pathValues } from './storage/keys.js';

/**
 * mingo with one change: query comparisons between different numeric BSON types (double vs Decimal128
 * vs a large int64) compare by value, as mongod does; mingo alone only compares values of one type.
 */
type Predicate = (o: Document) => boolean;

const isNumericLike = (v: unknown): boolean =>
  typeof v === 'number' || v instanceof Long || v instanceof Decimal128;

function toNumber(v: unknown): number {
  if (v instanceof Decimal128) return Number(decimalText(v));
  if (v instanceof Long) return Number(longText(v));
  return v as number;
}

/** Numeric values at `selector` whose BSON class differs from the operand's (mingo handled the rest). */
function otherNumerics(o: Document, selector: string, operand: unknown): number[] {
  const kind = (v: unknown) => (typeof v === 'number' ? 'n' : (v as object).constructor);
  return pathValues(o, selector)
    .filter((v) => isNumericLike(v) && kind(v) !== kind(operand))
    .map(toNumber);
}

function bridged(
  base: QueryOperator,
  test: (value: number, operand: unknown) => boolean,
  accepts = isNumericLike,
): QueryOperator {
  return ((selector: string, operand: unknown, options: Options) => {
    const original = (base as (s: string, v: unknown, o: Options) => Predicate)(selector, operand, options);
    if (!accepts(operand)) return original;
    return (o: Document) => original(o) || otherNumerics(o, selector, operand).some((v) => test(v, operand));
  }) as QueryOperator;
}

const inList = (v: number, list: unknown) =>
  (list as unknown[]).some((x) => isNumericLike(x) && toNumber(x) === v);
const listHasNumeric = (list: unknown) => Array.isArray(list) && list.some(isNumericLike);
const $eq = bridged(queryOperators.$eq, (v, x) => v === toNumber(x));
const $in = bridged(queryOperators.$in, inList, listHasNumeric);
const negate = (op: QueryOperator): QueryOperator =>
  ((s: string, v: unknown, o: Options) => {
    const p = (op as (s: string, v: unknown, o: Options) => Predicate)(s, v, o);
    return (doc: Document) => !p(doc);
  }) as QueryOperator;

const CONTEXT = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: pipelineOperators,
  projection: projectionOperators,
  window: windowOperators,
  query: {
    ...queryOperators,
    $eq,
    $ne: negate($eq),
    $in,
    $nin: negate($in),
    $gt: bridged(queryOperators.$gt, (v, x) => v > toNumber(x)),
    $gte: bridged(queryOperators.$gte, (v, x) => v >= toNumber(x)),
    $lt: bridged(queryOperators.$lt, (v, x) => v < toNumber(x)),
    $lte: bridged(queryOperators.$lte, (v, x) => v <= toNumber(x)),
  },
});

/**
 * mingo copies its whole operator table whenever it is given plain options, which dominated the cost
 * of an indexed find. An options object prepared once (mingo's own ComputeOptions) is reused as-is;
 * mingo does not export that class, so a probe operator picks it up from the options it is handed.
 */
type Prepared = { init(options: Partial<Options>): Options };
let ComputeOptions: Prepared | undefined;
new BaseQuery({ x: { $probe: 1 } }, {
  context: Context.init({
    query: {
      $probe: ((_s: string, _v: unknown, options: Options) => {
        const ctor = (options as object).constructor as Partial<Prepared>;
        if (typeof ctor.init === 'function') ComputeOptions = ctor as Prepared;
        return () => true;
      }) as QueryOperator,
    },
  }),
} as Options);

/** Options to build once and pass to every Query/Aggregator/update (see above). */
export function prepareOptions(options: Partial<Options>): Partial<Options> {
  const full = { ...options, context: CONTEXT };
  return ComputeOptions ? ComputeOptions.init(full) : full;
}

const isPrepared = (options: Partial<Options>): boolean =>
  ComputeOptions !== undefined && options instanceof (ComputeOptions as unknown as new () => object);

const withContext = (options: Partial<Options>): Partial<Options> =>
  isPrepared(options) ? options : { ...options, context: CONTEXT };

export class Query extends BaseQuery {
  constructor(condition: Document, options: Partial<Options> = {}) {
    super(condition, withContext(options) as Options);
  }
}

export class Aggregator extends BaseAggregator {
  constructor(pipeline: Document[], options: Partial<Options> = {}) {
    super(pipeline, withContext(options) as Options);
  }
}

/** mingo's update operators, with our query semantics for positional/arrayFilters conditions. */
export function update(
  doc: Document,
  modifier: Document,
  arrayFilters: Document[] | undefined,
  condition: Document,
  options: Partial<Options>,
): string[] {
  return baseUpdate(doc, modifier as Modifier<Document>, arrayFilters, condition, {
    cloneMode: 'none',
    queryOptions: withContext(options),
  });
}
