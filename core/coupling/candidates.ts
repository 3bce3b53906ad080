import { dvCaption } from '../model/captions.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import { BC_KEY_FIELDS, type DvTable } from '../model/tables.js';
import type { CandidateProbe } from '../ports/dataverse.js';
import { DV_KEY_COLUMNS, keyKindOf } from '../model/key-columns.js';
import { asText, nameTokens, normaliseName, phoneKey, plainKey } from '../model/normalise.js';

/** A Dataverse row proposed in Set Up Coupling, with why it was proposed. */
export interface ScoredRow {
  row: DvRow;
  score: number;
  reasons: string[];
}

/**
 * What to look for: the BC values of the mapped fields that identify a row (number, e-mail, phone,
 * name), plus the record's name against the table's name column even when the mapping does not map it
 * (contacts map first and last name; Dataverse searches the full name).
 */
export function buildProbes(m: IntegrationTableMapping, bc: BcRecord): CandidateProbe[] {
  const probes: CandidateProbe[] = [];
  for (const fm of m.fields) {
    if (fm.status !== 'Enabled' || fm.constant !== null || keyKindOf(m.dvTable, fm.dvField) === null)
      continue;
    const value = asText(bc.fields[fm.bcField]).trim();
    if (value) probes.push({ field: fm.dvField, value });
  }
  const nameColumn = DV_KEY_COLUMNS[m.dvTable].name;
  const name = asText(bc.fields[BC_KEY_FIELDS[bc.table].name]).trim();
  if (name && !probes.some((p) => p.field === nameColumn)) probes.push({ field: nameColumn, value: name });
  return probes;
}

function nameSignal(probe: string, value: string): { points: number; reason: string } | null {
  if (!value) return null;
  if (probe === value) return { points: 70, reason: 'same name' };
  if (probe.trim().toLowerCase() === value.trim().toLowerCase())
    return { points: 60, reason: 'same name ignoring case' };
  if (normaliseName(probe) === normaliseName(value)) {
    return { points: 50, reason: 'same name ignoring case, spacing and punctuation' };
  }
  const mine = nameTokens(probe);
  const theirs = new Set(nameTokens(value));
  const shared = mine.filter((w) => theirs.has(w));
  if (shared.length === 0) return null;
  const overlap = shared.length / new Set([...mine, ...theirs]).size;
  return {
    points: Math.round(10 + 30 * overlap),
    reason: `name shares ${shared.map((w) => `"${w}"`).join(', ')}`,
  };
}

function signal(
  table: DvTable,
  probe: CandidateProbe,
  row: DvRow,
): { points: number; reason: string } | null {
  const value = asText(row.fields[probe.field]);
  switch (keyKindOf(table, probe.field)) {
    case 'number':
      return value && plainKey(value) === plainKey(probe.value)
        ? { points: 100, reason: `same number (${dvCaption(table, probe.field)})` }
        : null;
    case 'email':
      return value && plainKey(value) === plainKey(probe.value)
        ? { points: 90, reason: 'same e-mail' }
        : null;
    case 'phone': {
      const key = phoneKey(value);
      return key && key === phoneKey(probe.value) ? { points: 80, reason: 'same phone number' } : null;
    }
    case 'name':
      return nameSignal(probe.value, value);
    default:
      return null;
  }
}

/**
 * Scores a row: each identifying key that agrees adds its weight (number 100, e-mail 90, phone 80, name
 * exact 70 > ignoring case 60 > ignoring spacing/punctuation 50 > shared words 10–40), so a row
 * agreeing on several keys ranks above one agreeing on a single key.
 */
export function scoreRow(table: DvTable, probes: readonly CandidateProbe[], row: DvRow): ScoredRow {
  let score = 0;
  const reasons: string[] = [];
  for (const p of probes) {
    const s = signal(table, p, row);
    if (s) {
      score += s.points;
      reasons.push(s.reason);
    }
  }
  return { row, score, reasons };
}

/** Best first; equal scores by name, then id, so the order is stable. */
export function rankRows(
  table: DvTable,
  probes: readonly CandidateProbe[],
  rows: readonly DvRow[],
  top: number,
): ScoredRow[] {
  const nameColumn = DV_KEY_COLUMNS[table].name;
  return rows
    .map((r) => scoreRow(table, probes, r))
    .filter((s) => s.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score ||
        asText(a.row.fields[nameColumn]).localeCompare(asText(b.row.fields[nameColumn])) ||
        a.row.id.localeCompare(b.row.id),
    )
    .slice(0, top);
}
