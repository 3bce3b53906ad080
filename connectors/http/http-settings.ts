/** Everything the HTTP connectors need, derived once from Config by the composition root. */
export interface HttpConnectorSettings {
  authority: { host: string; tenantId: string; clientId: string; clientSecret: string };
  businessCentral: {
    baseUrl: string;
    tenantId: string;
    environment: string;
    companyId: string;
    /** {base}/v2.0/{tenant}/{environment}/api/v2.0 — $batch lives here, company resources below it. */
    serviceRoot: string;
    scope: string;
  };
  dataverse: { url: string; serviceRoot: string; scope: string; maxConcurrency: number };
}
