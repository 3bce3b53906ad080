import { DV_NAME_FIELDS, type DvTable } from '../../core/model/tables.js';
import type { CandidateProbe } from '../../core/ports/dataverse.js';
import { queryColumn } from './dv-entities.js';
import { literal, type QueryColumn } from './odata-filter.js';
import { quote } from './odata.js';

/** Words that say nothing about which company is meant. */
const NOISE = new Set([
  'inc',
  'ltd',
  'llc',
  'gmbh',
  'corp',
  'corporation',
  'company',
  'co',
  'ag',
  'sa',
  'bv',
  'nv',
  'plc',
  'srl',
  'the',
  'and',
]);

/**
 * The part of a name worth searching for: its longest meaningful word ("Adatum" in "The Adatum
 * Corporation"), so "Adatum Corp." in BC still finds "ADATUM Corporation" in Dataverse.
 */
export function significantPart(value: string): string {
  const words = value
    .split(/[^\p{L}\p{N}'’]+/u)
    .filter((w) => w.length >= 3 && !NOISE.has(w.toLowerCase()))
    .sort((a, b) => b.length - a.length);
  return words[0] ?? value.trim();
}

/**
 * Candidate search for Set Up Coupling: names by contains(), the other columns (account number, e-mail,
 * phone) by equality; any probe may hit. Rows are ranked by core, not here. undefined when nothing to ask.
 */
export function candidateFilter(table: DvTable, probes: readonly CandidateProbe[]): string | undefined {
  const nameColumns = new Set([DV_NAME_FIELDS[table], 'name', 'fullname']);
  const clauses = probes
    .filter((p) => p.value.trim() !== '')
    .map((p) => {
      const column: QueryColumn = queryColumn(table, p.field);
      if (nameColumns.has(p.field) && !column.guid)
        return `contains(${column.name},${quote(significantPart(p.value))})`;
      return `${column.name} eq ${literal(p.value.trim(), column)}`;
    });
  const unique = [...new Set(clauses)];
  return unique.length === 0 ? undefined : unique.join(' or ');
}
