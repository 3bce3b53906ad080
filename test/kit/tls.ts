import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away certificate authority and a loopback server certificate, generated with openssl at test
 * time into a temp dir (no private key is ever committed). `caFile` is what NODE_EXTRA_CA_CERTS points at.
 */
export interface TestTls {
  /** The temp dir holding the files; removed by `dispose`. */
  dir: string;
  caPem: string;
  caFile: string;
  certPem: string;
  keyPem: string;
  dispose(): void;
}

/** Set by the global set-up of a vitest run: the one CA every test process of the run shares. */
export const SHARED_TLS_DIR = 'COUPLING_TEST_TLS_DIR';

let shared: TestTls | undefined;

/**
 * The CA of this run: the one the global set-up made (and removes when the run ends), or, outside
 * vitest (the bench), one made for this process and removed when it exits. Never left behind.
 */
export function testTls(): TestTls {
  const dir = process.env[SHARED_TLS_DIR];
  shared ??= dir ? readTestTls(dir, () => undefined) : ownedByThisProcess(generateTestTls());
  return shared;
}

function ownedByThisProcess(tls: TestTls): TestTls {
  process.once('exit', () => tls.dispose());
  return tls;
}

function readTestTls(dir: string, dispose: () => void): TestTls {
  const file = (name: string) => join(dir, name);
  return {
    dir,
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    caFile: file('ca.pem'),
    certPem: readFileSync(file('server.pem'), 'utf8'),
    keyPem: readFileSync(file('server.key'), 'utf8'),
    dispose,
  };
}

export function generateTestTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'coupling-tls-'));
  const file = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caSubject = [
    '-subj',
    '/CN=Coupling Assistant test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
  ];
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    ...caSubject,
  );
  openssl('req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
  );
  return readTestTls(dir, () => rmSync(dir, { recursive: true, force: true }));
}

type AgentCtor = new (options: { connect: { ca: string } }) => object;

/**
 * Global fetch (undici, bundled in Node) trusting the test CA in this process. Node 20 has no public API
 * to add a CA at run time (NODE_EXTRA_CA_CERTS is read at process start) and the `undici` package is not
 * installed, so we build an Agent of the bundled undici — the same class global fetch uses — with
 * `connect.ca`. Production code never sees this: it takes `fetch` as an option defaulting to global fetch,
 * and a child-process test proves the default path trusts NODE_EXTRA_CA_CERTS.
 */
export async function trustingFetch(caPem: string): Promise<typeof fetch> {
  const key = Symbol.for('undici.globalDispatcher.1');
  const holder = globalThis as unknown as Record<symbol, object | undefined>;
  if (!holder[key]) await fetch('data:,');
  const global = holder[key];
  if (!global) throw new Error('could not find the global undici dispatcher of this Node version');
  const Agent = global.constructor as AgentCtor;
  const dispatcher = new Agent({ connect: { ca: caPem } });
  return (input, init) => fetch(input, { ...init, dispatcher } as RequestInit);
}
