import type { Attachment } from 'botbuilder';
import { decodeCsvBytes } from '../../core/match/csv-read.js';
import {
  downloadBytes,
  INLINE_ATTACHMENT_HOSTS,
  refuse,
  tooLarge,
  TEAMS_FILE_HOSTS,
  type DownloadLimits,
} from './download.js';

/** What Teams sends for a file uploaded in a personal chat with the bot. */
export const TEAMS_FILE_DOWNLOAD = 'application/vnd.microsoft.teams.file.download.info';

const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/comma-separated-values']);
/** Teams adds the message itself as text/html, and cards ride as attachments too: neither is a file. */
const NOT_FILES = [/^text\/html$/i, /^application\/vnd\.microsoft\.card\./i];

export interface CsvFile {
  name: string;
  text: string;
}

type Candidate = { kind: 'teams' | 'inline'; attachment: Attachment; name: string };

const nameOf = (a: Attachment): string => (typeof a.name === 'string' && a.name.trim() ? a.name.trim() : '');
const isCsvName = (name: string): boolean => /\.csv$/i.test(name);
const shown = (name: string): string => (name ? `"${name.slice(0, 80)}"` : 'The attached file');

function classify(a: Attachment): Candidate | 'notCsv' | null {
  const type = String(a.contentType ?? '').toLowerCase();
  if (NOT_FILES.some((p) => p.test(type))) return null;
  const name = nameOf(a);
  if (type === TEAMS_FILE_DOWNLOAD) {
    const fileType = String((a.content as { fileType?: unknown } | undefined)?.fileType ?? '');
    return fileType.toLowerCase() === 'csv' || isCsvName(name)
      ? { kind: 'teams', attachment: a, name }
      : 'notCsv';
  }
  if (CSV_TYPES.has(type) || isCsvName(name)) return { kind: 'inline', attachment: a, name };
  return 'notCsv';
}

/** The one CSV attachment of a message, or a refusal that says what to attach. */
function pick(attachments: readonly Attachment[]): Candidate {
  const classified = attachments.map((a) => ({ a, c: classify(a) }));
  const files = classified.filter((x) => x.c !== null);
  const csv = files.flatMap((x) => (x.c !== null && x.c !== 'notCsv' ? [x.c] : []));
  if (csv.length > 1) throw refuse('Attach one CSV file at a time.');
  const [only] = csv;
  if (only) return only;
  const other = files[0]?.a;
  if (other) {
    throw refuse(
      `${shown(nameOf(other))} is not a CSV file. Save it as "CSV UTF-8 (Comma delimited)" and attach that.`,
    );
  }
  throw refuse(
    'Attach the CSV file to the message: type the command and add the file with the paperclip (in a ' +
      'personal chat with me), e.g. "import accounts" with accounts.csv.',
  );
}

/** `data:[type][;base64],payload` — the size is checked on the encoded length before decoding. */
function fromDataUrl(url: string, limits: DownloadLimits): Buffer {
  const comma = url.indexOf(',');
  if (comma < 0) throw refuse('The attachment is not a valid data: URL.');
  const meta = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  const base64 = /;base64$/i.test(meta);
  const estimate = base64 ? Math.floor((payload.length * 3) / 4) : payload.length / 3;
  if (estimate > limits.maxBytes) throw tooLarge(limits);
  try {
    const bytes = base64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'utf8');
    if (bytes.length > limits.maxBytes) throw tooLarge(limits);
    return bytes;
  } catch (e) {
    if (e instanceof URIError) throw refuse('The attachment is not a valid data: URL.');
    throw e;
  }
}

async function bytesOf(c: Candidate, limits: DownloadLimits): Promise<Buffer | string> {
  const a = c.attachment;
  if (c.kind === 'teams') {
    const url = (a.content as { downloadUrl?: unknown } | undefined)?.downloadUrl;
    if (typeof url !== 'string') throw refuse('The Teams file has no download link; attach it again.');
    return downloadBytes(url, limits, TEAMS_FILE_HOSTS);
  }
  if (typeof a.content === 'string') {
    if (Buffer.byteLength(a.content, 'utf8') > limits.maxBytes) throw tooLarge(limits);
    return a.content;
  }
  const url = typeof a.contentUrl === 'string' ? a.contentUrl : '';
  if (/^data:/i.test(url)) return fromDataUrl(url, limits);
  if (url) return downloadBytes(url, limits, INLINE_ATTACHMENT_HOSTS);
  throw refuse(`${shown(c.name)} has no content I can read; attach the file again.`);
}

/**
 * Reads the CSV file attached to a message: a Teams file (downloaded from its link) or an inline
 * text/csv attachment (its content, a data: URL or a link). Only the transport is checked here; core's
 * importRows refuses files that are not CSV text, have no header, or have too many rows.
 */
export async function readCsvAttachment(
  attachments: readonly Attachment[],
  limits: DownloadLimits,
): Promise<CsvFile> {
  const candidate = pick(attachments);
  const content = await bytesOf(candidate, limits);
  // Bytes are decoded strictly (UTF-8, or UTF-16 with its BOM): a file in another encoding is refused.
  const text = typeof content === 'string' ? content : decodeCsvBytes(content);
  return { name: candidate.name || 'attachment.csv', text };
}
