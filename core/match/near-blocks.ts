import { DV_KEY_COLUMNS } from '../model/key-columns.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import { asText } from '../model/normalise.js';
import type { Fields } from '../model/record.js';
import { BC_KEY_FIELDS } from '../model/tables.js';
import { prepare, type NearKeys, type Prepared } from './similarity.js';

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

const read = (fields: Fields, field: string): string => (field ? asText(fields[field]) : '');

/** A record's keys, prepared for scoring. */
export function keysOf(fields: Fields, names: NearKeys): Prepared {
  return prepare({
    name: read(fields, names.name),
    email: read(fields, names.email),
    phone: read(fields, names.phone),
  });
}

/**
 * A trigram as a small integer, 10 bits a character, which the engine keeps unboxed and hashes fast.
 * Characters beyond the first 1,024 (some non-Latin scripts) may share a number: that only lets a few
 * more pairs be scored, never fewer.
 */
const gram = (a: number, b: number, c: number): number =>
  ((a & 1023) << 20) | ((b & 1023) << 10) | (c & 1023);

/**
 * Calls `visit` with each block key of a record: its name trigrams as numbers (three UTF-16 units of the
 * comparable name, spaces skipped, at most MAX_GRAMS), then its exact keys as text. Returns the number
 * of trigrams. Numbers keep the one pass over Dataverse from making a string per trigram.
 */
export function eachKey(keys: Prepared, visit: (key: number | string, exact: boolean) => void): number {
  const name = keys.comparable;
  let a = -1;
  let b = -1;
  let grams = 0;
  for (let i = 0; i < name.length && grams < MAX_GRAMS; i++) {
    const c = name.charCodeAt(i);
    if (c === 32) continue;
    if (a >= 0) {
      visit(gram(a, b, c), false);
      grams++;
    }
    a = b;
    b = c;
  }
  if (grams === 0 && b >= 0) {
    visit(gram(a < 0 ? 0 : a, b, 0), false); // a name of one or two letters
    grams = 1;
  }
  if (keys.phone) visit(`#${keys.phone}`, true);
  if (keys.email) visit(`@${keys.email}`, true);
  if (keys.domain) visit(`%${keys.domain}`, true);
  return grams;
}

/**
 * Key → record positions, added in ascending position order, at most `cap` per key: a key that outgrows
 * it is remembered as too common (null) and answers nothing, so memory and the pairs a key can produce
 * both stay bounded. A position added twice under one key (a trigram repeated in a name) counts once.
 */
export class Blocks {
  private readonly map = new Map<number | string, number | number[] | null>();

  constructor(private readonly cap: number = BLOCK_CAP) {}

  add(key: number | string, position: number): void {
    const rows = this.map.get(key);
    if (rows === undefined) this.map.set(key, position);
    else if (rows === null || rows === position) return;
    else if (typeof rows === 'number') this.map.set(key, [rows, position]);
    else if (rows[rows.length - 1] === position) return;
    else if (rows.length >= this.cap) this.map.set(key, null);
    else rows.push(position);
  }

  /** The positions of a usable key; empty when the key is unknown or too common. */
  get(key: number | string): readonly number[] {
    const rows = this.map.get(key);
    return rows === undefined || rows === null ? NONE : typeof rows === 'number' ? [rows] : rows;
  }

  /** The raw entry of a key: a position, positions, null (too common) or undefined; no copy is made. */
  raw(key: number | string): number | readonly number[] | null | undefined {
    return this.map.get(key);
  }

  /** Known and not too common. */
  usable(key: number | string): boolean {
    const rows = this.map.get(key);
    return rows !== undefined && rows !== null;
  }
}

const NONE: readonly number[] = Object.freeze([]);
