/**
 * Reading the bundled raw mail for the hypermail benchmark, without argmap's own code (src/ is being
 * rewritten while this benchmark measures it): mbox entries are split here, headers are decoded by
 * `mailparser`, and threads are rebuilt from In-Reply-To/References.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';

/** One entry of an mbox file, byte for byte. */
export interface MboxEntry {
  /** Absolute path of the mbox. */
  file: string;
  /** Byte offset of the entry's From_ line. */
  offset: number;
  /** The entry as the file holds it: From_ line, message, trailing blank line. */
  bytes: Buffer;
}

/** A raw message with what the benchmark needs to know about it. */
export interface RawMessage {
  entry: MboxEntry;
  /** RFC 5322 bytes: the From_ line dropped, mboxrd `>From ` escaping undone. */
  rfc822: Buffer;
  sha256: string;
  /** Message-ID without angle brackets (null when the header is missing). */
  messageId: string | null;
  /** In-Reply-To ids, in header order. */
  inReplyTo: string[];
  /** References ids, in header order. */
  references: string[];
  subject: string;
  fromName: string;
  fromAddr: string;
  /** The Date header as written (unfolded), or null. */
  dateRaw: string | null;
  /** The Date header's instant (ms since the epoch), or null when unreadable. */
  dateMs: number | null;
  /** The newest Received header's timestamp (the last hop before the list archive), or null. */
  receivedMs: number | null;
  /** The decoded text body (text/plain parts; mailparser's rendering for HTML-only mail). */
  text: string;
  charset: string;
}

/** Split an mbox into entries at its From_ lines (`From ` at the start of a line). */
export function splitMbox(file: string, data: Buffer): MboxEntry[] {
  const starts: number[] = [];
  if (data.subarray(0, 5).toString('latin1') === 'From ') starts.push(0);
  let at = 0;
  for (;;) {
    const nl = data.indexOf('\nFrom ', at, 'latin1');
    if (nl < 0) break;
    starts.push(nl + 1);
    at = nl + 1;
  }
  return starts.map((s, i) => ({ file, offset: s, bytes: data.subarray(s, starts[i + 1] ?? data.length) }));
}

/** The RFC 5322 bytes of an mboxrd entry. */
export function entryToRfc822(entry: Buffer): Buffer {
  const nl = entry.indexOf(0x0a);
  let body = nl < 0 ? '' : entry.subarray(nl + 1).toString('latin1');
  // mboxrd: one ">" is removed from every ">…>From " line.
  body = body.replace(/^>(>*From )/gm, '$1');
  // The blank line before the next From_ line belongs to the mbox, not to the message.
  if (body.endsWith('\n\n')) body = body.slice(0, -1);
  return Buffer.from(body, 'latin1');
}

/** The header block of a message as unfolded `name: value` pairs (names lower-cased). */
export function rawHeaders(rfc822: Buffer): { name: string; value: string }[] {
  const text = rfc822.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const out: { name: string; value: string }[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length) {
      out[out.length - 1]!.value += ' ' + line.trim();
      continue;
    }
    const c = line.indexOf(':');
    if (c > 0) out.push({ name: line.slice(0, c).trim().toLowerCase(), value: line.slice(c + 1).trim() });
  }
  return out;
}

/** Message-ids of a header value: every `<…>`, whitespace inside the brackets removed. */
export function msgIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids: string[] = [];
  for (const m of value.matchAll(/<([^<>]*)>/g)) {
    const id = m[1]!.replace(/\s+/g, '');
    if (id.includes('@')) ids.push(id);
  }
  return ids;
}

/** Parse one entry. */
export async function parseEntry(entry: MboxEntry): Promise<RawMessage> {
  const rfc822 = entryToRfc822(entry.bytes);
  const headers = rawHeaders(rfc822);
  const h = (name: string): string | undefined => headers.find((x) => x.name === name)?.value;
  const parsed = await simpleParser(rfc822, { skipImageLinks: true, skipTextToHtml: true });
  const from = parsed.from?.value[0];
  const dateRaw = h('date') ?? null;
  const dateMs = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.getTime() : null;
  const received = h('received');
  let receivedMs: number | null = null;
  if (received && received.includes(';')) {
    const t = Date.parse(received.slice(received.lastIndexOf(';') + 1).replace(/\(.*?\)/g, ''));
    if (!Number.isNaN(t)) receivedMs = t;
  }
  const ctype = h('content-type') ?? '';
  const charset = /charset="?([^";\s]+)/i.exec(ctype)?.[1] ?? 'us-ascii';
  return {
    entry,
    rfc822,
    sha256: createHash('sha256').update(rfc822).digest('hex'),
    messageId: msgIds(h('message-id'))[0] ?? null,
    inReplyTo: msgIds(h('in-reply-to')),
    references: msgIds(h('references')),
    subject: (parsed.subject ?? '').replace(/\s+/g, ' ').trim(),
    fromName: (from?.name ?? '').replace(/\s+/g, ' ').trim(),
    fromAddr: (from?.address ?? '').toLowerCase(),
    dateRaw,
    dateMs,
    receivedMs,
    text: (parsed.text ?? '').replace(/\r\n/g, '\n'),
    charset,
  };
}

/** All messages of the given mbox files, in file order. */
export async function readMboxes(files: string[]): Promise<RawMessage[]> {
  const out: RawMessage[] = [];
  for (const f of files) for (const e of splitMbox(f, readFileSync(f))) out.push(await parseEntry(e));
  return out;
}

/** The bundled mail, one record per Message-ID, and the threads it forms. */
export interface Corpus {
  /** Every parsed entry (duplicates across files included). */
  entries: RawMessage[];
  /** One message per Message-ID: the first copy read. */
  byId: Map<string, RawMessage>;
  /** Ids held more than once with different text (a reused id): not usable as ground truth. */
  ambiguous: Set<string>;
  /** The message's parent as its raw headers say: the first In-Reply-To id held, else the last References id held. */
  parentOf: Map<string, string>;
  /** Which of the two headers gave the parent. */
  parentHeader: Map<string, 'in-reply-to' | 'references'>;
  /** Thread key (the smallest Message-ID of the connected component) of every message. */
  threadOf: Map<string, string>;
}

export function buildCorpus(entries: RawMessage[]): Corpus {
  const byId = new Map<string, RawMessage>();
  const ambiguous = new Set<string>();
  for (const m of entries) {
    if (!m.messageId) continue;
    const first = byId.get(m.messageId);
    if (!first) byId.set(m.messageId, m);
    else if (first.text !== m.text || first.subject !== m.subject) ambiguous.add(m.messageId);
  }
  const parentOf = new Map<string, string>();
  const parentHeader = new Map<string, 'in-reply-to' | 'references'>();
  for (const [id, m] of byId) {
    const irt = m.inReplyTo.find((r) => r !== id && byId.has(r));
    const ref = [...m.references].reverse().find((r) => r !== id && byId.has(r));
    if (irt) {
      parentOf.set(id, irt);
      parentHeader.set(id, 'in-reply-to');
    } else if (ref) {
      parentOf.set(id, ref);
      parentHeader.set(id, 'references');
    }
  }
  // Connected components over every In-Reply-To/References link between held messages.
  const up = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (up.get(r) !== r) r = up.get(r)!;
    let y = x;
    while (up.get(y) !== r) {
      const n = up.get(y)!;
      up.set(y, r);
      y = n;
    }
    return r;
  };
  for (const id of byId.keys()) up.set(id, id);
  for (const [id, m] of byId)
    for (const r of [...m.inReplyTo, ...m.references])
      if (byId.has(r)) {
        const a = find(id);
        const b = find(r);
        if (a !== b) up.set(a < b ? b : a, a < b ? a : b);
      }
  const threadOf = new Map<string, string>();
  for (const id of byId.keys()) threadOf.set(id, find(id));
  return { entries, byId, ambiguous, parentOf, parentHeader, threadOf };
}

/** Ancestors of a message along `parentOf` (nearest first), cycle-safe. */
export function ancestors(c: Corpus, id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>([id]);
  let p = c.parentOf.get(id);
  while (p && !seen.has(p)) {
    out.push(p);
    seen.add(p);
    p = c.parentOf.get(p);
  }
  return out;
}
