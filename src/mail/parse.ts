/**
 * Parse one RFC 5322 message (raw bytes) into the fields argmap stores. MIME, charsets,
 * quoted-printable, base64 and RFC 2047 words are decoded by mailparser; Message-IDs, dates and
 * threading headers are read from the raw header lines by our own code, because mailparser is
 * lenient in ways that lose information (it keeps comments in In-Reply-To, guesses dates).
 *
 * Nothing here throws on bad mail: problems are returned beside the fields.
 */
import { createRequire } from 'node:module';
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import { extractMsgIds, firstMsgId } from './msgid.ts';
import { parseMailDate, toIsoUtc } from './date.ts';
import {
  MAX_BODY_CHARS,
  MAX_HEADER_BYTES,
  MAX_MIME_PARTS,
  MAX_RECIPIENT_CHARS,
  MAX_TEXT_ATTACHMENT_BYTES,
} from '../util/limits.ts';

export interface AttachmentInfo {
  filename: string | null;
  contentType: string;
  size: number;
  /** Decoded text for small text attachments (patches sent as attachments), else null. */
  text: string | null;
}

export interface MessageProblem {
  code: string;
  detail: string;
}

/** The decoded fields of one message. */
export interface ParsedMessage {
  /** Message-ID without brackets, or null when the message has none usable. */
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  subject: string;
  fromName: string;
  fromAddr: string;
  /** The To header, decoded: `Name <addr>, …` (empty when there is none), cut at MAX_RECIPIENT_CHARS. */
  to: string;
  /** The Cc header, the same way. */
  cc: string;
  /** ISO 8601 UTC, or null when the Date header is missing or unparsable. */
  date: string | null;
  dateRaw: string | null;
  /** Decoded text body (for HTML-only mail, the text rendering of the HTML). */
  body: string;
  htmlOnly: boolean;
  listId: string | null;
  attachments: AttachmentInfo[];
  problems: MessageProblem[];
}

/** Unfold one raw header line and drop its name. */
function headerValue(line: string): string {
  const i = line.indexOf(':');
  return (i < 0 ? '' : line.slice(i + 1)).replace(/\r?\n[ \t]+/g, ' ').trim();
}

function first(parsed: ParsedMail, key: string): string | null {
  const h = parsed.headerLines.find((l) => l.key === key);
  return h ? headerValue(h.line) : null;
}

function capRecipients(t: string): string {
  return t.length > MAX_RECIPIENT_CHARS ? t.slice(0, MAX_RECIPIENT_CHARS) : t;
}

/**
 * Decoded addresses as stored: `Name <addr>`, or the bare address. A group's members are listed in
 * its place (one level, as RFC 5322 allows; a loop, never recursion over mail data).
 */
function addressTexts(list: EmailAddress[], out: string[]): void {
  for (const a of list)
    for (const m of a.group ?? [a]) {
      const name = (m.name ?? '').replace(/\s+/g, ' ').trim();
      const addr = (m.address ?? '').trim();
      // A name without an address is a comment (`unlisted-recipients:; (no To-header on input)`).
      if (addr) out.push(name ? `${name} <${addr}>` : addr);
    }
}

/** A To or Cc header as mailparser decodes it (RFC 2047 words, groups), all its lines joined. */
function recipientsOf(parsed: ParsedMail, key: 'to' | 'cc'): string {
  const v = parsed[key] as AddressObject | AddressObject[] | undefined;
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const o of list) addressTexts(o.value, out);
  return capRecipients(out.join(', '));
}

/**
 * To and Cc of a stored raw message, decoded as ingest decodes them, from its header section
 * only (at most MAX_HEADER_BYTES): what the recipients backfill reads for archives ingested before
 * they were stored. Never throws: a header the parser rejects gives empty lists.
 */
export async function parseRecipients(raw: Buffer): Promise<{ to: string; cc: string }> {
  let end = raw.indexOf('\n\n', 0, 'latin1');
  const crlf = raw.indexOf('\r\n\r\n', 0, 'latin1');
  if (crlf >= 0 && (end < 0 || crlf < end)) end = crlf;
  if (end < 0 || end > MAX_HEADER_BYTES) end = Math.min(raw.length, MAX_HEADER_BYTES);
  try {
    const parsed = await simpleParser(Buffer.concat([raw.subarray(0, end), Buffer.from('\n\n')]), {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
    });
    return { to: recipientsOf(parsed, 'to'), cc: recipientsOf(parsed, 'cc') };
  } catch {
    return { to: '', cc: '' };
  }
}

function fromOf(parsed: ParsedMail): { name: string; addr: string } {
  const f = parsed.from as AddressObject | undefined;
  const v = f?.value?.[0];
  let addr = (v?.address ?? '').trim().toLowerCase();
  let name = (v?.name ?? '').trim();
  if (!addr && !name) {
    const raw = first(parsed, 'from') ?? '';
    const m = /<([^<>\s]+)>/.exec(raw);
    addr = (m?.[1] ?? '').toLowerCase();
    name = raw
      .replace(/<[^>]*>/, '')
      .replace(/"/g, '')
      .trim();
  }
  if (/^".*"$/.test(name)) name = name.slice(1, -1);
  return { name, addr };
}

/**
 * Count MIME boundary lines so that a message with thousands of parts can be cut before the
 * parser builds an object per part. Returns the byte index at which to cut, or -1.
 */
function mimeCutPoint(raw: Buffer): { cut: number; boundary: string } | null {
  const head = raw.toString('latin1', 0, Math.min(raw.length, 64 * 1024));
  const b = /boundary\s*=\s*"?([^";\r\n]{1,200})"?/i.exec(head);
  if (!b) return null;
  const marker = Buffer.from('\n--' + b[1], 'latin1');
  let count = 0;
  let pos = 0;
  for (;;) {
    const i = raw.indexOf(marker, pos);
    if (i < 0) return null;
    count++;
    if (count > MAX_MIME_PARTS) return { cut: i, boundary: b[1]! };
    pos = i + marker.length;
  }
}

/** Parse raw message bytes. Never throws for bad mail; see `problems`. */
export async function parseMessage(raw: Buffer): Promise<ParsedMessage> {
  const problems: MessageProblem[] = [];
  let input = raw;
  const cut = mimeCutPoint(raw);
  if (cut) {
    input = Buffer.concat([raw.subarray(0, cut.cut), Buffer.from(`\n--${cut.boundary}--\n`, 'latin1')]);
    problems.push({
      code: 'too-many-parts',
      detail: `more than ${MAX_MIME_PARTS} MIME parts (MAX_MIME_PARTS): only the first ${MAX_MIME_PARTS} were decoded; the raw copy keeps all`,
    });
  }
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(input, {
      skipHtmlToText: false,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      keepCidLinks: false,
    });
  } catch (e) {
    problems.push({
      code: 'mime-error',
      detail: `MIME parser failed: ${(e as Error).message}; body kept as raw text`,
    });
    return fallbackParse(raw, problems);
  }

  const messageIdRaw = first(parsed, 'message-id');
  const messageId = firstMsgId(messageIdRaw);
  if (messageIdRaw !== null && !messageId)
    problems.push({
      code: 'bad-message-id',
      detail: `unusable Message-ID ${JSON.stringify(messageIdRaw.slice(0, 200))}`,
    });
  const inReplyTo = extractMsgIds(first(parsed, 'in-reply-to'));
  const refLines = parsed.headerLines.filter((l) => l.key === 'references').map((l) => headerValue(l.line));
  const references = extractMsgIds(refLines.join(' '));
  const dateRaw = first(parsed, 'date');
  const ms = parseMailDate(dateRaw);
  if (dateRaw && ms === null)
    problems.push({
      code: 'bad-date',
      detail: `unparsable Date header ${JSON.stringify(dateRaw.slice(0, 200))}; kept raw`,
    });
  if (!dateRaw) problems.push({ code: 'no-date', detail: 'no Date header' });

  for (const line of parsed.headerLines) {
    if (line.key !== 'content-type') continue;
    const cs = /charset\s*=\s*"?([^";\s]+)/i.exec(line.line);
    if (cs && !knownCharset(cs[1]!))
      problems.push({
        code: 'unknown-charset',
        detail: `unknown charset ${JSON.stringify(cs[1])}; decoded as best effort`,
      });
  }

  let body = parsed.text ?? '';
  // HTML-only mail: mailparser renders the HTML as text; flag it, since quoting and layout are lost.
  const head = raw.toString('latin1', 0, Math.min(raw.length, 256 * 1024));
  const htmlOnly =
    typeof parsed.html === 'string' &&
    /^content-type:\s*text\/html/im.test(head) &&
    !/^content-type:\s*text\/plain/im.test(head);
  if (body.length > MAX_BODY_CHARS) {
    problems.push({
      code: 'body-truncated',
      detail: `decoded body of ${body.length} characters cut to ${MAX_BODY_CHARS} (MAX_BODY_CHARS); the raw copy keeps all`,
    });
    body = body.slice(0, MAX_BODY_CHARS);
  }
  const attachments: AttachmentInfo[] = parsed.attachments.map((a) => {
    const isText = /^text\//i.test(a.contentType) || /\.(patch|diff|txt)$/i.test(a.filename ?? '');
    return {
      filename: a.filename ?? null,
      contentType: a.contentType,
      size: a.size,
      text: isText && a.size <= MAX_TEXT_ATTACHMENT_BYTES ? a.content.toString('utf8') : null,
    };
  });
  const { name, addr } = fromOf(parsed);
  const listIdRaw = first(parsed, 'list-id');
  return {
    messageId,
    inReplyTo,
    references,
    subject: (parsed.subject ?? '').replace(/\s+/g, ' ').trim(),
    fromName: name,
    fromAddr: addr,
    to: recipientsOf(parsed, 'to'),
    cc: recipientsOf(parsed, 'cc'),
    date: ms === null ? null : toIsoUtc(ms),
    dateRaw,
    body,
    htmlOnly,
    listId: listIdRaw ? (/<([^>]+)>/.exec(listIdRaw)?.[1] ?? listIdRaw) : null,
    attachments,
    problems,
  };
}

const KNOWN = new Set([
  'utf-8',
  'utf8',
  'us-ascii',
  'ascii',
  'iso-8859-1',
  'latin1',
  'windows-1252',
  'cp1252',
]);
let iconvExists: ((e: string) => boolean) | null = null;
function knownCharset(cs: string): boolean {
  const c = cs.toLowerCase();
  if (KNOWN.has(c)) return true;
  if (!iconvExists) iconvExists = loadIconvExists();
  return iconvExists(c);
}
function loadIconvExists(): (e: string) => boolean {
  try {
    // iconv-lite is mailparser's own charset decoder; ask it rather than keeping a list.
    const req = createRequire(import.meta.url);
    const iconv = req('iconv-lite') as { encodingExists(e: string): boolean };
    return (e) => iconv.encodingExists(e);
  } catch {
    // fall through
  }
  return () => true;
}

/** Last resort for a message the MIME parser rejects: headers by hand, body as latin1 text. */
function fallbackParse(raw: Buffer, problems: MessageProblem[]): ParsedMessage {
  const s = raw.toString('latin1');
  const sep = /\r?\n\r?\n/.exec(s);
  const head = sep ? s.slice(0, sep.index) : s;
  const body = sep ? s.slice(sep.index + sep[0].length) : '';
  const h = (name: string): string | null => {
    const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
    return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : null;
  };
  const dateRaw = h('Date');
  const ms = parseMailDate(dateRaw);
  const from = h('From') ?? '';
  return {
    messageId: firstMsgId(h('Message-ID')),
    inReplyTo: extractMsgIds(h('In-Reply-To')),
    references: extractMsgIds(h('References')),
    subject: (h('Subject') ?? '').replace(/\s+/g, ' '),
    fromName: from
      .replace(/<[^>]*>/, '')
      .replace(/"/g, '')
      .trim(),
    fromAddr: (/<([^<>\s]+)>/.exec(from)?.[1] ?? (from.includes('@') ? from.trim() : '')).toLowerCase(),
    to: capRecipients(h('To') ?? ''),
    cc: capRecipients(h('Cc') ?? ''),
    date: ms === null ? null : toIsoUtc(ms),
    dateRaw,
    body: body.slice(0, MAX_BODY_CHARS),
    htmlOnly: false,
    listId: null,
    attachments: [],
    problems,
  };
}
