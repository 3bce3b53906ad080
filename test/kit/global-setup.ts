import { generateTestTls, SHARED_TLS_DIR } from './tls.js';

/**
 * Once per vitest run, before any test process starts: the test certificate authority every loopback
 * HTTPS server of the run uses (test processes inherit its location), removed when the run ends so
 * nothing is left in the temp folder.
 */
export default function setup(): () => void {
  const tls = generateTestTls();
  process.env[SHARED_TLS_DIR] = tls.dir;
  return () => tls.dispose();
}
