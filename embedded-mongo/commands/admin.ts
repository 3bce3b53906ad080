import { calculateObjectSize, UUID, type Document } from 'bson';
import { Query } from '../mingo.js';
import { CommandError } from '../errors.js';
import { collName, optDoc } from './args.js';
import type { CommandContext, CommandHandler } from './types.js';

function create(ctx: CommandContext): Document {
  const name = collName(ctx.body, 'create');
  if (ctx.engine.collection(ctx.db, name)) {
    throw new CommandError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
  }
  ctx.engine.ensure(ctx.db, name);
  return { ok: 1 };
}

function drop(ctx: CommandContext): Document {
  const name = collName(ctx.body, 'drop');
  const coll = ctx.engine.collection(ctx.db, name);
  const nIndexesWas = coll ? coll.indexes.size + 1 : 0;
  // Since 7.0 mongod answers ok for a collection that does not exist.
  ctx.engine.dropCollection(ctx.db, name);
  return { ns: `${ctx.db}.${name}`, nIndexesWas, ok: 1 };
}

function dropDatabase(ctx: CommandContext): Document {
  ctx.engine.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
}

function listCollections(ctx: CommandContext): Document {
  const filter = optDoc(ctx.body, 'filter') ?? {};
  const nameOnly = ctx.body.nameOnly === true;
  const query = new Query(filter, {});
  const entries: Document[] = [];
  for (const coll of ctx.engine.dbs.get(ctx.db)?.values() ?? []) {
    const entry: Document = nameOnly
      ? { name: coll.name, type: 'collection' }
      : {
          name: coll.name,
          type: 'collection',
          options: {},
          info: { readOnly: false, uuid: new UUID(coll.uuid) },
          idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
        };
    if (query.test(entry)) entries.push(entry);
  }
  const cursorOpts = optDoc(ctx.body, 'cursor') ?? {};
  return {
    cursor: ctx.cursors.first(`${ctx.db}.$cmd.listCollections`, entries, cursorOpts.batchSize),
    ok: 1,
  };
}

function listDatabases(ctx: CommandContext): Document {
  const databases: Document[] = [];
  let totalSize = 0;
  for (const [name, colls] of ctx.engine.dbs) {
    let sizeOnDisk = 0;
    if (ctx.body.nameOnly !== true) {
      for (const coll of colls.values())
        for (const d of coll.docs.values()) sizeOnDisk += calculateObjectSize(d);
    }
    totalSize += sizeOnDisk;
    databases.push(ctx.body.nameOnly === true ? { name } : { name, sizeOnDisk, empty: colls.size === 0 });
  }
  const filter = optDoc(ctx.body, 'filter');
  const shown = filter ? databases.filter((d) => new Query(filter, {}).test(d)) : databases;
  return ctx.body.nameOnly === true ? { databases: shown, ok: 1 } : { databases: shown, totalSize, ok: 1 };
}

export const adminCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
};
