import { DV_KEY_COLUMNS } from '../model/key-columns.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import { asText, phoneKey } from '../model/normalise.js';
import type { Fields } from '../model/record.js';
import { BC_KEY_FIELDS } from '../model/tables.js';
import { comparableName, companyDomain, type NearKeys } from './similarity.js';

/**
 * Blocking for near matches: which record/row pairs are worth scoring at all. Scoring every BC record
 * against every Dataverse row would be n × m; instead both sides are cut into blocks by keys that similar
 * records share, and only pairs sharing a block are looked at:
 * - the **trigrams** of the comparable name with its spaces removed ("northwindtraders" → "nor", "ort",
 *   …): a typo or a moved space changes only the few trigrams around it;
 * - the phone digits, the e-mail address and the company e-mail domain, each as one exact key.
 * A key shared by more than BLOCK_CAP records on either side ("ion", "ltd", a big company's domain)
 * does not tell records apart and is dropped, which bounds the pairs per key by BLOCK_CAP².
 */
export const BLOCK_CAP = 48;
/** Trigrams taken from one name at most (a very long name would otherwise cost more than it tells). */
const MAX_GRAMS = 24;

/** Where a mapping keeps the name, e-mail and phone on each side ('' when it does not map one). */
export interface NearFields {
  bc: NearKeys;
  dv: NearKeys;
}

export function nearFields(mapping: IntegrationTableMapping): NearFields {
  const columns = DV_KEY_COLUMNS[mapping.dvTable];
  const bcFieldFor = (dvColumn: string | undefined): string =>
    dvColumn === undefined
      ? ''
      : (mapping.fields.find((f) => f.dvField === dvColumn && f.constant === null)?.bcField ?? '');
  const email = bcFieldFor(columns.email);
  const phone = bcFieldFor(columns.phone);
  return {
    bc: { name: BC_KEY_FIELDS[mapping.bcTable].name, email, phone },
    dv: {
      name: columns.name,
      email: email ? (columns.email ?? '') : '',
      phone: phone ? (columns.phone ?? '') : '',
    },
  };
}

/** A record's values and block keys: `grams` (name trigrams) and `exact` (phone, address, domain). */
export interface Probe {
  keys: NearKeys;
  grams: string[];
  exact: string[];
}

const read = (fields: Fields, field: string): string => (field ? asText(fields[field]) : '');

export function probeOf(fields: Fields, names: NearKeys): Probe {
  const keys = {
    name: read(fields, names.name),
    email: read(fields, names.email),
    phone: read(fields, names.phone),
  };
  const squashed = comparableName(keys.name).replace(/ /g, '');
  const grams = new Set<string>();
  if (squashed.length > 0 && squashed.length < 3) grams.add(squashed);
  for (let i = 0; i + 3 <= squashed.length && grams.size < MAX_GRAMS; i++)
    grams.add(squashed.slice(i, i + 3));
  const exact: string[] = [];
  const phone = phoneKey(keys.phone);
  if (phone) exact.push(`#${phone}`);
  const email = keys.email.trim().toLowerCase();
  if (email.includes('@')) exact.push(`@${email}`);
  const domain = companyDomain(email);
  if (domain) exact.push(`%${domain}`);
  return { keys, grams: [...grams], exact };
}

/** Exact keys start with a character that a trigram (letters and digits only) never has. */
export const isExactKey = (key: string): boolean =>
  key.startsWith('#') || key.startsWith('@') || key.startsWith('%');

/**
 * Key → record positions, at most `cap` per key: a key that outgrows it is remembered as too common
 * (null) and answers nothing, so memory and the pairs a key can produce both stay bounded.
 */
export class Blocks {
  private readonly map = new Map<string, number | number[] | null>();

  constructor(private readonly cap: number = BLOCK_CAP) {}

  add(key: string, position: number): void {
    const rows = this.map.get(key);
    if (rows === undefined) this.map.set(key, position);
    else if (rows === null) return;
    else if (typeof rows === 'number') this.map.set(key, [rows, position]);
    else if (rows.length >= this.cap) this.map.set(key, null);
    else rows.push(position);
  }

  /** The positions of a usable key; empty when the key is unknown or too common. */
  get(key: string): readonly number[] {
    const rows = this.map.get(key);
    return rows === undefined || rows === null ? [] : typeof rows === 'number' ? [rows] : rows;
  }

  /** Known and not too common. */
  usable(key: string): boolean {
    const rows = this.map.get(key);
    return rows !== undefined && rows !== null;
  }

  entries(): IterableIterator<[string, number | number[] | null]> {
    return this.map.entries();
  }
}
