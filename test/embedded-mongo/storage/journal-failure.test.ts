import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../embedded-mongo/index.js';
import { nodeJournalIo, type JournalIo } from '../../../embedded-mongo/storage/journal.js';

const dirs: string[] = [];
const running: EmbeddedMongo[] = [];
const clients: MongoClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of running.splice(0)) await s.stop().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A disk that fails on demand until `fail` is reset: 'write' fills up (ENOSPC after a short write),
 * 'fsync' fails the fsync of freshly written data (EIO), 'truncate' also refuses to cut the file back.
 */
function faultyDisk() {
  const state = { fail: undefined as undefined | 'write' | 'fsync' | 'truncate', dirty: false };
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const io: JournalIo = {
    async writev(fd, bufs) {
      state.dirty = true;
      if (state.fail === 'write' || state.fail === 'truncate') {
        // A short write first, as a filling disk does, then the error.
        const first = bufs[0];
        if (first && first.length > 1) await nodeJournalIo.writev(fd, [first.subarray(0, first.length >> 1)]);
        throw enospc();
      }
      return nodeJournalIo.writev(fd, bufs);
    },
    async fdatasync(fd) {
      const dirty = state.dirty;
      state.dirty = false;
      if (state.fail === 'fsync' && dirty)
        throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      return nodeJournalIo.fdatasync(fd);
    },
    async ftruncate(fd, length) {
      if (state.fail === 'truncate')
        throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' });
      return nodeJournalIo.ftruncate(fd, length);
    },
  };
  return { state, io };
}

async function open(dbPath: string, journalIo?: JournalIo) {
  const server = await startEmbeddedMongo({ dbPath, journalIo });
  running.push(server);
  const client = await new MongoClient(server.uri).connect();
  clients.push(client);
  return { server, coll: client.db('d').collection<{ _id: number; v?: string }>('c') };
}

async function stop(server: EmbeddedMongo) {
  for (const c of clients.splice(0)) await c.close();
  await server.stop();
  running.splice(running.indexOf(server), 1);
}

describe('embedded-mongo when the disk refuses a journal write', () => {
  it.each(['write', 'fsync'] as const)(
    'a failed %s fails the write, keeps it out of memory and out of the data after restart',
    async (where) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-enospc-'));
      dirs.push(dir);
      const disk = faultyDisk();
      const a = await open(dir, disk.io);
      await a.coll.insertOne({ _id: 1, v: 'kept' });

      disk.state.fail = where;
      await expect(a.coll.insertOne({ _id: 2, v: 'refused' })).rejects.toThrow(/journal write failed/);
      await expect(a.coll.updateOne({ _id: 1 }, { $set: { v: 'changed' } })).rejects.toThrow(
        /journal write failed/,
      );
      await expect(a.coll.deleteOne({ _id: 1 })).rejects.toThrow(/journal write failed/);
      // Nothing the client was told failed is visible: not the insert, not the update, not the delete.
      expect(await a.coll.find().toArray()).toEqual([{ _id: 1, v: 'kept' }]);
      // The same _id can be written once the disk has room again.
      disk.state.fail = undefined;
      await a.coll.insertOne({ _id: 3, v: 'after' });
      await stop(a.server);

      const b = await open(dir);
      expect(await b.coll.find().sort({ _id: 1 }).toArray()).toEqual([
        { _id: 1, v: 'kept' },
        { _id: 3, v: 'after' },
      ]);
    },
  );

  it('rolls back a whole batch and index and collection creation made in the failed commit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-enospc-'));
    dirs.push(dir);
    const disk = faultyDisk();
    const a = await open(dir, disk.io);
    const db = a.coll.db;
    await a.coll.insertOne({ _id: 1 });
    disk.state.fail = 'fsync';
    await expect(
      db.collection<{ _id: number }>('fresh').insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]),
    ).rejects.toThrow(/journal write failed/);
    await expect(a.coll.createIndex({ v: 1 }, { unique: true })).rejects.toThrow(/journal write failed/);
    expect((await db.listCollections().toArray()).map((c) => c.name)).toEqual(['c']);
    expect((await a.coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    disk.state.fail = undefined;
    await stop(a.server);
    const b = await open(dir);
    expect((await b.coll.db.listCollections().toArray()).map((c) => c.name)).toEqual(['c']);
    expect(await b.coll.find().toArray()).toEqual([{ _id: 1 }]);
  });

  it('when the journal cannot even be cut back, refuses every later write until restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-enospc-'));
    dirs.push(dir);
    const disk = faultyDisk();
    const a = await open(dir, disk.io);
    await a.coll.insertOne({ _id: 1 });
    disk.state.fail = 'truncate';
    await expect(a.coll.insertOne({ _id: 2 })).rejects.toThrow(/journal write failed/);
    disk.state.fail = undefined;
    await expect(a.coll.insertOne({ _id: 3 })).rejects.toThrow(/unusable until restart/);
    expect(await a.coll.find().toArray()).toEqual([{ _id: 1 }]);
  });
});
