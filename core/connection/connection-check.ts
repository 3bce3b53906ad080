import type { Db } from 'mongodb';
import type { Actor } from '../model/actor.js';
import type { CheckStep, ConnectionProbe, ConnectionReport } from '../ports/connection.js';
import type { Roles } from '../roles.js';

/** What `check connection` reports: which connectors run, and each system's steps with latencies. */
export interface ConnectionCheckResult {
  connectors: 'sandbox' | 'http';
  report: ConnectionReport;
}

export interface ConnectionCheck {
  /** Manager only (like BC's Test Connection on the setup page); never throws for a failing system. */
  check(actor: Actor): Promise<ConnectionCheckResult>;
}

export interface ConnectionCheckDeps {
  roles: Roles;
  /** The store: pinged as the third system. */
  db: Db;
  /** The real connectors; absent on the sandbox, where only MongoDB is checked. */
  http?: ConnectionProbe;
  now?: () => number;
}

export function createConnectionCheck(deps: ConnectionCheckDeps): ConnectionCheck {
  const now = deps.now ?? (() => performance.now());
  const pingMongo = () => deps.db.command({ ping: 1 });
  return {
    async check(actor) {
      deps.roles.requireManager(actor, 'check the connection');
      if (deps.http) {
        const report = await deps.http({ pingMongo, now });
        return { connectors: 'http', report };
      }
      // The sandbox's two systems are tables in the store: its ping is the whole check.
      const ping = await timedPing(pingMongo, now);
      return {
        connectors: 'sandbox',
        report: { ok: ping.ok, systems: [{ system: 'MongoDB', ok: ping.ok, steps: [ping] }] },
      };
    },
  };
}

async function timedPing(ping: () => Promise<unknown>, now: () => number): Promise<CheckStep> {
  const started = now();
  try {
    await ping();
    return { step: 'ping', ok: true, latencyMs: Math.round(now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { step: 'ping', ok: false, latencyMs: Math.round(now() - started), error: message };
  }
}
