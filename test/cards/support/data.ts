import { defaultMappings } from '../../../core/mappings/defaults.js';

/** Building blocks of realistic card data: CRONUS-style names and numbers, Dataverse-style GUIDs. */
export const guid = (n: number): string => `${n.toString(16).padStart(8, '0')}-7c1e-4f2a-9b3d-5e6f7a8b9c0d`;
const company = 'c0ffee00-0000-4000-8000-000000000001';
export const mappings = defaultMappings(company);
export const customerMapping = mappings.find((m) => m.name === 'CUSTOMER')!;

const NAMES = ['Adatum Corporation', 'Trey Research', 'School of Fine Art', 'Alpine Ski House', 'Relecloud'];
export const nameOf = (i: number): string =>
  `${NAMES[i % NAMES.length]} ${i > 4 ? `(Branch ${i})` : ''}`.trim();
export const bc = (i: number) => ({ id: guid(1000 + i), number: String(10000 + i * 10), name: nameOf(i) });
export const range = (n: number) => Array.from({ length: n }, (_, i) => i);
