/**
 * "check connection" (like BC's Test Connection): what the real connectors report for each system — a
 * fresh token and one small read — plus the store's ping, each with its latency and, when it fails, the
 * exact reason.
 */
export type CheckedSystem = 'Business Central' | 'Dataverse' | 'MongoDB';

export interface CheckStep {
  step: 'token' | 'read' | 'ping';
  ok: boolean;
  latencyMs: number;
  /** What failed, in words an admin can act on; absent when ok. */
  error?: string;
}

export interface SystemCheck {
  system: CheckedSystem;
  ok: boolean;
  steps: CheckStep[];
}

export interface ConnectionReport {
  ok: boolean;
  systems: SystemCheck[];
}

/** The real connectors' check: runs every step with the store's ping it is given; never throws. */
export type ConnectionProbe = (options: {
  pingMongo: () => Promise<unknown>;
  now: () => number;
}) => Promise<ConnectionReport>;
