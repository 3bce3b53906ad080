import { randomUUID } from 'node:crypto';

/** Ids for jobs, runs and audit entries. GUIDs, as both BC and Dataverse use. */
export const newId = (): string => randomUUID();
