import { nameTokens, phoneKey } from '../model/normalise.js';

/**
 * How alike a Business Central record and a Dataverse row are when no match criterion found a partner
 * ("near matches", issue 15). Only ever a suggestion: a manager approves each near pair on its own.
 *
 * - **Name**: both names are normalised the way Set Up Coupling compares them (accents, case and
 *   punctuation removed, `&` read as "and", legal-form words such as Inc, Ltd, GmbH, The dropped:
 *   `nameTokens`), the words joined by one space, then compared with **Jaro-Winkler** (prefix scale 0.1,
 *   up to 4 characters). Jaro-Winkler forgives the typos and spacing differences typical of names typed
 *   twice ("North Wind Traders" / "Northwind Traders": 96%) and rewards a shared beginning, where names
 *   usually agree. Below NAME_THRESHOLD (88%) a name is no evidence: "Coho Winery" / "Coho Vineyard" is
 *   92%, "Adatum" / "Fabrikam" 53%.
 * - **Phone**: the same last nine digits (`phoneKey`, at least seven digits), so "+1 425 555 0100" and
 *   "(425) 555-0100" agree whatever the country prefix or formatting.
 * - **E-mail**: the same address ignoring case, or else the same domain — but a free-mail domain
 *   (gmail.com, outlook.com, …) says nothing about which company it is and never counts.
 *
 * Each piece of evidence has a strength (name: its similarity; phone 0.9; same address 0.95; same
 * domain 0.6) and they combine like independent signals: score = 1 − Π(1 − strength), shown as a whole
 * percentage rounded down. So one strong signal is enough to be listed, and two agree to near certainty.
 */

/** Names less similar than this are not evidence at all. */
export const NAME_THRESHOLD = 0.88;
export const PHONE_STRENGTH = 0.9;
export const EMAIL_STRENGTH = 0.95;
export const DOMAIN_STRENGTH = 0.6;

/** Domains of public mail services: sharing one proves nothing about the company. */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'aol.com',
  'gmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'googlemail.com',
  'hotmail.com',
  'icloud.com',
  'live.com',
  'mail.com',
  'mail.ru',
  'me.com',
  'msn.com',
  'outlook.com',
  'proton.me',
  'protonmail.com',
  'qq.com',
  'web.de',
  'yahoo.com',
  'yandex.ru',
  'zoho.com',
]);

/** Two reusable flag buffers: Jaro runs hundreds of thousands of times in a near search. */
const buffers = [new Uint8Array(64), new Uint8Array(64)];
function scratch(which: 0 | 1, length: number): Uint8Array {
  if ((buffers[which] as Uint8Array).length < length) buffers[which] = new Uint8Array(length * 2);
  const buffer = buffers[which] as Uint8Array;
  buffer.fill(0, 0, length);
  return buffer;
}

/** Jaro similarity of two strings, 0 (nothing in common) to 1 (equal). */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const usedA = scratch(0, a.length);
  const usedB = scratch(1, b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const hi = Math.min(b.length - 1, i + window);
    for (let j = Math.max(0, i - window); j <= hi; j++) {
      if (usedB[j] === 0 && a.charCodeAt(i) === b.charCodeAt(j)) {
        usedA[i] = usedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, k = 0; i < a.length; i++) {
    if (usedA[i] === 0) continue;
    while (usedB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  return (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
}

/** Jaro-Winkler: Jaro raised for a common prefix of up to 4 characters (scale 0.1). */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/** The form names are compared in: "The Cannon Group, Inc." → "cannon group". */
export const comparableName = (name: string): string => nameTokens(name).join(' ');

/** Similarity of two names as comparableName forms them; 0 when either has no significant word. */
export function nameSimilarity(a: string, b: string): number {
  const x = comparableName(a);
  const y = comparableName(b);
  return x === '' || y === '' ? 0 : jaroWinkler(x, y);
}

/** The lower-cased domain of an e-mail address, or '' when there is none or it is free mail. */
export function companyDomain(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '';
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase();
  return domain.includes('.') && !FREE_MAIL_DOMAINS.has(domain) ? domain : '';
}

/** What near matching reads of a record or row: its name, e-mail and phone as text ('' when empty). */
export interface NearKeys {
  name: string;
  email: string;
  phone: string;
}

export interface Similarity {
  /** 0–100, whole percent. */
  score: number;
  /** Why, strongest first: "name 96% similar: 'North Wind Traders' vs 'Northwind Traders'". */
  reasons: string[];
}

const percent = (x: number): number => Math.floor(x * 100 + 1e-9);

/** A record's keys normalised once, so a record scored against many others is normalised only once. */
export interface Prepared {
  /** As written, for the reason. */
  name: string;
  comparable: string;
  phone: string;
  email: string;
  domain: string;
}

export function prepare(keys: NearKeys): Prepared {
  const email = keys.email.trim().toLowerCase();
  return {
    name: keys.name.trim(),
    comparable: comparableName(keys.name),
    phone: phoneKey(keys.phone),
    email: email.includes('@') ? email : '',
    domain: companyDomain(email),
  };
}

/** How alike a BC record and a Dataverse row are; null when nothing counts as evidence. */
export function similarity(bc: NearKeys, dv: NearKeys): Similarity | null {
  return similarityOf(prepare(bc), prepare(dv));
}

/**
 * Whether names of these lengths can reach NAME_THRESHOLD at all: Jaro is at most
 * (s/a + s/b + 1) / 3 with s the shorter length, and the prefix bonus adds at most 0.4 × (1 − Jaro).
 */
function lengthsAllow(a: string, b: string): boolean {
  const short = Math.min(a.length, b.length);
  const best = (short / a.length + short / b.length + 1) / 3;
  return best + 0.4 * (1 - best) >= NAME_THRESHOLD;
}

/** similarity() on keys already prepared. */
export function similarityOf(bc: Prepared, dv: Prepared): Similarity | null {
  const evidence: Array<{ strength: number; reason: string }> = [];
  const name =
    bc.comparable && dv.comparable && lengthsAllow(bc.comparable, dv.comparable)
      ? jaroWinkler(bc.comparable, dv.comparable)
      : 0;
  if (name >= NAME_THRESHOLD) {
    const reason = `name ${percent(name)}% similar: '${bc.name}' vs '${dv.name}'`;
    evidence.push({ strength: name, reason });
  }
  if (bc.phone !== '' && bc.phone === dv.phone)
    evidence.push({ strength: PHONE_STRENGTH, reason: 'same phone digits' });
  if (bc.email !== '' && bc.email === dv.email)
    evidence.push({ strength: EMAIL_STRENGTH, reason: 'same e-mail address' });
  else if (bc.domain !== '' && bc.domain === dv.domain)
    evidence.push({ strength: DOMAIN_STRENGTH, reason: 'same e-mail domain' });
  if (evidence.length === 0) return null;
  evidence.sort((x, y) => y.strength - x.strength);
  const miss = evidence.reduce((p, e) => p * (1 - e.strength), 1);
  return { score: percent(1 - miss), reasons: evidence.map((e) => e.reason) };
}
