import { z } from 'zod';
import type { ConnectionCheckResult } from '../../core/connection/connection-check.js';
import type { CheckStep, SystemCheck } from '../../core/ports/connection.js';
import { outcome } from '../views/cards.js';
import { defineCommand } from './command.js';

/** `token 212 ms`, or `read failed after 140 ms: Dataverse answered 403: …`. */
function stepText(step: CheckStep): string {
  if (step.ok) return `${step.step} ${step.latencyMs} ms`;
  return `${step.step} failed after ${step.latencyMs} ms: ${step.error ?? 'no reason given'}`;
}

function systemLine(system: SystemCheck): string {
  return `${system.system}: ${system.ok ? 'working' : 'NOT working'} — ${system.steps.map(stepText).join('; ')}`;
}

function title(result: ConnectionCheckResult): string {
  const failed = result.report.systems.filter((s) => !s.ok).map((s) => s.system);
  if (failed.length > 0) return `Connection check: ${failed.join(' and ')} not working`;
  return result.connectors === 'sandbox'
    ? 'Connection check: sandbox connectors, MongoDB working'
    : 'Connection check: Business Central, Dataverse and MongoDB working';
}

/** `check connection` (BC's Test Connection): manager only — core refuses anyone else. */
export const checkConnection = defineCommand({
  patterns: ['check connection', 'test connection'],
  args: z.object({}),
  example: 'check connection',
  async handle(_args, turn, services) {
    const result = await services.connection.check(turn.actor);
    const sandboxNote =
      result.connectors === 'sandbox'
        ? [
            'This bot runs on the sandbox connectors: Business Central and Dataverse are demo tables in ' +
              'MongoDB, so there is no token or API to test. Set BC_TENANT_ID, BC_ENVIRONMENT, ' +
              'BC_COMPANY_ID, DATAVERSE_URL and AZURE_TENANT_ID/CLIENT_ID/CLIENT_SECRET to connect the real systems.',
          ]
        : [];
    return outcome(turn, services, {
      title: title(result),
      lines: [...sandboxNote, ...result.report.systems.map(systemLine)],
      tone: result.report.ok ? 'success' : 'failure',
    });
  },
});
