import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import type { Collection } from '../storage/collection.js';
import type { IndexSpec } from '../storage/indexes.js';
import { encodeValue, isPlainDoc } from '../storage/keys.js';
import { collName, optDocs } from './args.js';
import type { CommandContext, CommandHandler } from './types.js';

/** Validates one createIndexes entry into the spec we store and report back in listIndexes. */
function toSpec(raw: Document): IndexSpec {
  const key = raw.key;
  if (!isPlainDoc(key) || Object.keys(key).length === 0)
    throw new CommandError('BadValue', "index 'key' must be a non-empty document");
  for (const [field, dir] of Object.entries(key)) {
    if (!(dir === 1 || dir === -1 || dir === 'hashed')) {
      throw new CommandError(
        'BadValue',
        `index key '${field}' must be 1, -1 or 'hashed' (got ${String(dir)})`,
      );
    }
  }
  const name =
    typeof raw.name === 'string' && raw.name
      ? raw.name
      : Object.entries(key)
          .map(([f, d]) => `${f}_${d}`)
          .join('_');
  const spec: IndexSpec = { name, key };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (isPlainDoc(raw.partialFilterExpression)) spec.partialFilterExpression = raw.partialFilterExpression;
  if (typeof raw.expireAfterSeconds === 'number') spec.expireAfterSeconds = raw.expireAfterSeconds;
  return spec;
}

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  const strip = ({ name: _n, ...rest }: IndexSpec) => encodeValue(rest);
  return strip(a) === strip(b);
}

function createIndexes(ctx: CommandContext): Document {
  const name = collName(ctx.body, 'createIndexes');
  const specs = optDocs(ctx.body, 'indexes').map(toSpec);
  if (specs.length === 0) throw new CommandError('BadValue', "'indexes' must contain at least one index");
  const existed = ctx.engine.collection(ctx.db, name) !== undefined;
  const coll = ctx.engine.ensure(ctx.db, name);
  const before = coll.indexes.size + 1;
  for (const spec of specs) {
    if (spec.name === '_id_' || encodeValue(spec.key) === encodeValue({ _id: 1 })) continue;
    const sameName = coll.indexes.get(spec.name)?.spec;
    if (sameName) {
      if (sameOptions(sameName, spec)) continue;
      throw new CommandError(
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index: ${spec.name}`,
      );
    }
    const sameKey = [...coll.indexes.values()].find((i) => encodeValue(i.spec.key) === encodeValue(spec.key));
    if (sameKey) {
      throw new CommandError(
        'IndexOptionsConflict',
        `Index already exists with a different name: ${sameKey.spec.name}`,
      );
    }
    ctx.engine.createIndex(coll, spec);
  }
  return {
    createdCollectionAutomatically: !existed,
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.size + 1,
    ok: 1,
  };
}

function existing(ctx: CommandContext, command: string): Collection {
  const name = collName(ctx.body, command);
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  return coll;
}

function listIndexes(ctx: CommandContext): Document {
  const coll = existing(ctx, 'listIndexes');
  const entries = coll.specs().map((s) => ({ v: 2, ...s }));
  const batchSize = isPlainDoc(ctx.body.cursor) ? ctx.body.cursor.batchSize : undefined;
  return { cursor: ctx.cursors.first(`${ctx.db}.$cmd.listIndexes.${coll.name}`, entries, batchSize), ok: 1 };
}

function dropIndexes(ctx: CommandContext): Document {
  const coll = existing(ctx, 'dropIndexes');
  const nIndexesWas = coll.indexes.size + 1;
  const which = ctx.body.index;
  let names: string[];
  if (which === '*') names = [...coll.indexes.keys()];
  else if (typeof which === 'string') names = [which];
  else if (Array.isArray(which)) names = which.map(String);
  else if (isPlainDoc(which)) {
    const found = [...coll.indexes.values()].find((i) => encodeValue(i.spec.key) === encodeValue(which));
    if (!found)
      throw new CommandError('IndexNotFound', `can't find index with key: ${JSON.stringify(which)}`);
    names = [found.spec.name];
  } else throw new CommandError('BadValue', "'index' must be a name, a key pattern, a list of names or '*'");
  for (const n of names) {
    if (n === '_id_') throw new CommandError('InvalidOptions', 'cannot drop _id index');
    if (!coll.indexes.has(n)) throw new CommandError('IndexNotFound', `index not found with name [${n}]`);
  }
  for (const n of names) ctx.engine.dropIndex(coll, n);
  return { nIndexesWas, ok: 1 };
}

export const indexCommands: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};
