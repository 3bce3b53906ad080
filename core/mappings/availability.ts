import { DomainError, ErrorCode } from '../errors.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { BusinessCentralPort } from '../ports/business-central.js';
import type { DataversePort } from '../ports/dataverse.js';

/**
 * Whether a table mapping can run over the connection in use: both of its tables must be served by their
 * connector (Business Central API v2.0 has no Resource entity set, so RESOURCE-PRODUCT cannot run over
 * HTTP while the sandbox serves it). One rule, asked by every command and run before it touches a table;
 * the stored mapping is kept as it is, so another connection serves it again.
 */
export type MappingAvailability = { available: true } | { available: false; reason: string };

export interface ServingPorts {
  bc: Pick<BusinessCentralPort, 'supports'>;
  dv: Pick<DataversePort, 'supports'>;
}

export function availabilityOf(
  ports: ServingPorts,
  m: Pick<IntegrationTableMapping, 'bcTable' | 'dvTable'>,
): MappingAvailability {
  const bc = ports.bc.supports(m.bcTable);
  if (!bc.served) return { available: false, reason: bc.reason };
  const dv = ports.dv.supports(m.dvTable);
  if (!dv.served) return { available: false, reason: dv.reason };
  return { available: true };
}

/** What a person reads wherever an unavailable mapping comes up. */
export const unavailableText = (name: string, reason: string): string =>
  `Table mapping ${name} is not available over this connection: ${reason}.`;

/** Refuses a command or run on a mapping its connectors cannot serve, naming the reason; nothing is done. */
export function requireAvailable(ports: ServingPorts, m: IntegrationTableMapping): IntegrationTableMapping {
  const a = availabilityOf(ports, m);
  if (a.available) return m;
  throw new DomainError(
    ErrorCode.MappingUnavailable,
    `${unavailableText(m.name, a.reason)} Nothing was done. Its settings are kept for a connection that can serve it.`,
  );
}
