import { Worker } from 'node:worker_threads';
import { pino, type Logger } from 'pino';
import type { EmbeddedMongo, EmbeddedMongoOptions } from './index.js';
import { claimInProcess } from './storage/lock.js';

/**
 * The embedded server in a worker thread, so that its BSON, query and journal work runs beside the
 * bot's thread instead of on it. A worker that dies is started again on the same port (recovering from
 * the journal), and the driver reconnects by itself.
 */
export interface EmbeddedMongoThreadOptions extends EmbeddedMongoOptions {
  /**
   * Stays in this thread: it logs the worker's deaths and restarts, and the worker's own lines (at its
   * level, with `{ component: 'embedded-mongo' }`) are written to its destination.
   */
  logger?: Logger;
  restart?: Partial<RestartPolicy>;
}

export interface EmbeddedMongoThread extends EmbeddedMongo {
  /** The worker serving now; none while it restarts, after giving up, or after stop(). For tests. */
  worker(): Worker | undefined;
}

export interface RestartPolicy {
  /** The n-th restart in a row waits n × backoffMs. */
  backoffMs: number;
  /** A worker that served this long before dying was healthy: the count of failures starts again. */
  healthyMs: number;
  /** After this many failures in a row (deaths and failed restarts), no more restarts. */
  maxFailures: number;
}

const DEFAULT_POLICY: RestartPolicy = { backoffMs: 250, healthyMs: 30_000, maxFailures: 5 };
const BOOTSTRAP = new URL('./thread-worker.mjs', import.meta.url);

/** workerData of thread-worker.ts. */
export type WorkerSettings = Omit<EmbeddedMongoOptions, 'logger'> & { logLevel: string };
export type ToWorker = { type: 'stop' };
export interface WorkerError {
  message: string;
  code?: string;
}
export type FromWorker =
  | { type: 'listening'; port: number; uri: string }
  | { type: 'failed'; error: WorkerError }
  | { type: 'stop-failed'; error: WorkerError }
  | { type: 'log'; line: string };

interface Running {
  worker: Worker;
  port: number;
  uri: string;
  startedAt: number;
  exited: Promise<number>;
  /** Why it failed or died: a failed start, an uncaught error, a failed stop. */
  error?: Error;
}

const toError = (e: WorkerError): Error =>
  Object.assign(new Error(e.message), e.code ? { code: e.code } : {});

/** Where `logger` writes, so that the worker's lines land in the same place (a file, a test's capture). */
function destinationOf(logger: Logger | undefined): NodeJS.WritableStream | undefined {
  return (logger as unknown as Record<symbol, NodeJS.WritableStream> | undefined)?.[pino.symbols.streamSym];
}

/** Starts one worker; resolves once it listens, rejects (after it exited) with the reason it did not. */
function spawnWorker(settings: WorkerSettings, logTo: NodeJS.WritableStream | undefined): Promise<Running> {
  const worker = new Worker(BOOTSTRAP, { workerData: settings });
  const running: Running = {
    worker,
    port: 0,
    uri: '',
    startedAt: 0,
    exited: new Promise((resolve) => worker.once('exit', resolve)),
  };
  worker.on('error', (err) => (running.error = err));
  return new Promise((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'log') logTo?.write(message.line);
      else if (message.type === 'listening')
        resolve(Object.assign(running, { port: message.port, uri: message.uri, startedAt: Date.now() }));
      else running.error = toError(message.error);
    });
    void running.exited.then((code) =>
      reject(running.error ?? new Error(`embedded-mongo worker exited (code ${code}) before listening`)),
    );
  });
}

/** Keeps one worker serving `settings.port`; started by startEmbeddedMongoThread, stopped once. */
class Supervisor {
  current: Running | undefined;
  private starting: Promise<Running> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopping: Promise<void> | undefined;

  constructor(
    private settings: WorkerSettings,
    private readonly policy: RestartPolicy,
    private readonly logger: Logger | undefined,
  ) {}

  async start(): Promise<Running> {
    this.starting = spawnWorker(this.settings, destinationOf(this.logger));
    try {
      const running = await this.starting;
      // Restarts take the same port, so that the driver's connection string stays valid.
      this.settings = { ...this.settings, port: running.port };
      this.current = running;
      void running.exited.then((code) => this.exited(running, code));
      return running;
    } finally {
      this.starting = undefined;
    }
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.retry);
      const running = this.current ?? (await this.starting?.catch(() => undefined));
      if (!running) return;
      running.worker.postMessage({ type: 'stop' } satisfies ToWorker);
      await running.exited;
      if (running.error) throw running.error;
    })();
    return this.stopping;
  }

  private exited(running: Running, code: number): void {
    this.current = undefined;
    if (this.stopping) return;
    if (Date.now() - running.startedAt >= this.policy.healthyMs) this.failures = 0;
    this.logger?.error(
      { err: running.error, exitCode: code, port: running.port },
      'embedded-mongo worker died; restarting it on the same port',
    );
    this.failed();
  }

  private failed(): void {
    this.failures++;
    if (this.failures > this.policy.maxFailures) {
      this.logger?.error(
        { failures: this.failures - 1, port: this.settings.port },
        'embedded-mongo worker keeps failing; giving up (the database stays down until the bot restarts)',
      );
      return;
    }
    this.retry = setTimeout(() => void this.restart(), this.failures * this.policy.backoffMs);
  }

  private async restart(): Promise<void> {
    try {
      const running = await this.start();
      this.logger?.info({ port: running.port, failures: this.failures }, 'embedded-mongo worker restarted');
    } catch (err) {
      if (this.stopping) return;
      this.logger?.error({ err, port: this.settings.port }, 'embedded-mongo worker could not restart');
      this.failed();
    }
  }
}

/**
 * startEmbeddedMongo in a worker thread: same options, same EmbeddedMongo, same start errors (a dbPath
 * another server holds, one that cannot be written). stop() is graceful, then the worker exits.
 */
export async function startEmbeddedMongoThread(
  opts: EmbeddedMongoThreadOptions,
): Promise<EmbeddedMongoThread> {
  const { logger, restart, ...options } = opts;
  // The lock file names this process, so the worker could not tell our own second server from a dead one.
  const unclaim = claimInProcess(options.dbPath);
  const settings = { ...options, logLevel: logger?.level ?? 'silent' };
  const supervisor = new Supervisor(settings, { ...DEFAULT_POLICY, ...restart }, logger);
  let running: Running;
  try {
    running = await supervisor.start();
  } catch (err) {
    unclaim();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    uri: running.uri,
    port: running.port,
    dbPath: opts.dbPath,
    stop: () => (stopping ??= supervisor.stop().finally(unclaim)),
    worker: () => supervisor.current?.worker,
  };
}
