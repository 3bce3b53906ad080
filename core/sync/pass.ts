/** One direction of data flow: BC → Dataverse (To the integration table) or Dataverse → BC (From it). */
export type Pass = 'ToIntegrationTable' | 'FromIntegrationTable';
