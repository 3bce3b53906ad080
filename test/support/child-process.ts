import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Child processes for the end-to-end tests and the load script, each in its own process group, so
 * stopping one also stops whatever it started and nothing outlives the run.
 */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last lines it printed, for error messages. */
  output(): string;
  /** SIGTERM to its group, SIGKILL after `graceMs`; resolves once it has exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
// Last resort when a run dies without its afterAll: never leave a bot or a Playground behind.
process.once('exit', () => running.forEach((child) => killGroup(child, 'SIGKILL')));

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

export function startProcess(
  name: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): ManagedProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    lines.splice(0, Math.max(0, lines.length - 100));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let stopping: Promise<void> | undefined;
  return {
    name,
    child,
    output: () => lines.join('\n'),
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          killGroup(child, 'SIGTERM');
          const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        }
        killGroup(child, 'SIGKILL'); // grandchildren that ignored SIGTERM
        running.delete(child);
      })();
      return stopping;
    },
  };
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls until `check` is true; fails early (with the process's output) if `proc` exits. */
export async function waitUntil(
  what: string,
  proc: ManagedProcess,
  timeoutMs: number,
  check: () => Promise<boolean>,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(
        `${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before ${what}:\n${proc.output()}`,
      );
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${what} did not happen within ${timeoutMs / 1000} s; ${proc.name} said:\n${proc.output()}`,
  );
}

export const answers200 = (url: string) => async () => {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  return res.status === 200;
};
