import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../core/logger.js';
import { startEmbeddedMongo, type EmbeddedMongo } from './index.js';
import type { FromWorker, ToWorker, WorkerError, WorkerSettings } from './thread.js';

/** Runs in the worker thread started by thread.ts: one embedded server, stopped when asked. */
const port = parentPort;
if (!port) throw new Error('embedded-mongo/thread-worker.ts runs in a worker thread (see thread.ts)');
const { logLevel, ...options } = workerData as WorkerSettings;
const post = (message: FromWorker) => port.postMessage(message);
const errorOf = (err: unknown): WorkerError =>
  err instanceof Error
    ? { message: err.message, code: (err as NodeJS.ErrnoException).code }
    : { message: String(err) };

// Each line goes to the parent thread, which writes it where its own logger writes.
const lines = new Writable({
  write(chunk: Buffer | string, _encoding, done) {
    post({ type: 'log', line: chunk.toString() });
    done();
  },
});
const logger = createLogger(logLevel, lines).child({ component: 'embedded-mongo' });

const started: Promise<EmbeddedMongo | undefined> = startEmbeddedMongo({ ...options, logger }).then(
  (server) => {
    post({ type: 'listening', port: server.port, uri: server.uri });
    return server;
  },
  (err: unknown) => {
    post({ type: 'failed', error: errorOf(err) });
    port.close(); // nothing left to serve: the worker exits
    return undefined;
  },
);

port.on('message', (message: ToWorker) => {
  if (message.type !== 'stop') return;
  started
    .then((server) => server?.stop())
    .catch((err: unknown) => post({ type: 'stop-failed', error: errorOf(err) }))
    .finally(() => port.close());
});
