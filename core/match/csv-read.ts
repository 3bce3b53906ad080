import { parse } from 'csv-parse/sync';
import { DomainError, ErrorCode } from '../errors.js';

export interface CsvLimits {
  /** Largest file accepted, in bytes (UTF-8). */
  maxBytes: number;
  /** Most data rows accepted (header not counted). */
  maxRows: number;
}

export const DEFAULT_CSV_LIMITS: CsvLimits = { maxBytes: 5 * 1024 * 1024, maxRows: 50_000 };

export interface CsvRow {
  /** Line of the file where the row starts (the header is line 1), as a spreadsheet shows it. */
  line: number;
  values: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

const refuse = (message: string) =>
  new DomainError(ErrorCode.InvalidInput, `${message} Nothing was imported.`);

const SAVE_AS_UTF8 =
  'Save it as "CSV UTF-8 (Comma delimited)" (Excel: File > Save As > CSV UTF-8) and attach that.';

/**
 * The text of a CSV file's bytes: UTF-8 with or without BOM, or UTF-16 (LE or BE) with its BOM, which
 * is what Excel's "CSV UTF-8" and "Unicode Text" write. Anything else — typically Excel's plain "CSV"
 * in a Windows code page, whose accented letters are not valid UTF-8 — is refused rather than imported
 * with garbled names. A file that is not text at all is left to readCsv, which says so.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xff && b[1] === 0xfe) return utf16(b.subarray(2), 'le');
  if (b[0] === 0xfe && b[1] === 0xff) return utf16(b.subarray(2), 'be');
  try {
    // The BOM is kept: readCsv's parser strips it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);
  } catch {
    throw refuse(
      `This file is not in UTF-8 (it was probably saved as plain "CSV", in a Windows code page). ${SAVE_AS_UTF8}`,
    );
  }
}

function utf16(body: Buffer, order: 'le' | 'be'): string {
  if (body.length % 2 !== 0) throw refuse(`This file is not valid UTF-16 text. ${SAVE_AS_UTF8}`);
  const le = order === 'le' ? body : Buffer.from(body).swap16();
  try {
    return new TextDecoder('utf-16le', { fatal: true }).decode(le);
  } catch {
    throw refuse(`This file is not valid UTF-16 text. ${SAVE_AS_UTF8}`);
  }
}

/**
 * A spreadsheet saved as .xlsx (a zip: "PK"), a PDF or any binary file carries NUL or other control
 * characters that text never has; refusing them up front gives a clear message instead of garbage rows.
 */
function looksBinary(text: string): boolean {
  const head = text.slice(0, 64 * 1024);
  if (head.startsWith('PK\u0003\u0004')) return true;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x0b) return true;
  }
  return false;
}

/** Excel writes ';' where the decimal separator is ',': take whichever separator the header uses most. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

/**
 * Reads CSV text into a header and rows with their line numbers. The whole file is refused — with a
 * message saying what to do — when it is too large, not text, or not valid CSV; row-level problems are
 * left to the caller, which reports them per line.
 */
export function readCsv(text: unknown, limits: CsvLimits = DEFAULT_CSV_LIMITS): CsvTable {
  if (typeof text !== 'string') throw refuse('The attachment could not be read as text.');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    throw refuse(
      `The file is ${mb(bytes)}; the limit is ${mb(limits.maxBytes)}. Split it into smaller files.`,
    );
  }
  if (looksBinary(text)) {
    throw refuse(
      'This file is not CSV text (it looks like a binary file, e.g. an .xlsx workbook). Save it as "CSV UTF-8" and attach that.',
    );
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text.replace(/^\uFEFF/, '')),
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: 64 * 1024,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (e) {
    throw refuse(`This file is not valid CSV: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const [first, ...data] = records;
  if (!first) throw refuse('The file is empty. The first line must be a header naming the columns.');
  if (data.length > limits.maxRows) {
    throw refuse(
      `The file has ${data.length} rows; at most ${limits.maxRows} can be imported at once. Split it.`,
    );
  }
  const rows = data.map(({ record, info }) => ({
    // info.lines is where the record ends; quoted values may span lines.
    line: info.lines - record.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0),
    values: record,
  }));
  return { header: first.record.map((h) => h.trim()), rows };
}
