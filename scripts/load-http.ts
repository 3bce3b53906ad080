import { Agent, request } from 'node:http';

/** What `npm run load` sends and how (scripts/load.ts closed loop, scripts/load-open.ts open loop). */

/** help / show / mappings / Set Up Coupling candidates, over the five CRONUS customers. */
const CUSTOMERS = ['10000', '20000', '30000', '40000', '50000'];
export const MIX = [
  () => 'help',
  (n: string) => `show customer ${n}`,
  () => 'mappings',
  (n: string) => `couple customer ${n}`,
];
export const commandFor = (conversation: number, step: number): string =>
  MIX[(conversation + step) % MIX.length]!(CUSTOMERS[(conversation * 7 + step) % CUSTOMERS.length]!);

/**
 * Keep-alive connections, as a Bot Connector keeps them: node:http rather than fetch, because this
 * script shares the cores with the bot and fetch costs it about twice the CPU per request.
 */
// Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout closes them under a
// request about to be written (a reset that is the client's doing, not the bot's).
const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });

/** POSTs a JSON body; resolves with the status once the (unread) answer has ended. */
export function post(endpoint: string, body: string, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      endpoint,
      {
        method: 'POST',
        agent,
        signal,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume(); // the body is not needed: the reply is checked at the connector
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `--name N`: a whole number within bounds, or a one-line error naming the option. */
export function option(argv: readonly string[], name: string, def: number, min: number, max: number): number {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return def;
  const n = Number(argv[at + 1]);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} expects a whole number from ${min} to ${max}, got "${argv[at + 1] ?? ''}"`);
  return n;
}
