/**
 * Streaming mbox reader and mboxrd writer.
 *
 * Messages are split on the strict From_ line used by public-inbox's MboxReader
 * (`From SENDER DAY MON DD HH:MM:SS YEAR`), not on any line starting with "From ", so a body line
 * such as "From the numbers above…" never splits a message. The reader works on bytes (mail
 * charsets are decoded later by the MIME parser) and holds at most one message plus one line in
 * memory, so a multi-gigabyte archive streams in constant memory.
 *
 * Flavours: mboxrd (lore, public-inbox: every `>*From ` line gained one `>`) and mboxo (only
 * `From ` lines gained a `>`, so `>>From ` is ambiguous and left alone).
 */
import { MAX_MESSAGE_BYTES, MAX_LINE_BYTES } from '../util/limits.ts';

export type MboxFlavour = 'mboxrd' | 'mboxo';

/** One message cut out of an mbox. */
export interface MboxMessage {
  /** Byte offset of the From_ line in the (decompressed) stream. */
  offset: number;
  /** The From_ line without its newline, e.g. `From mboxrd@z Thu Jan  1 00:00:00 1970`. */
  envelope: string;
  /** The message bytes with the From_ escaping undone and the separating blank line removed. */
  raw: Buffer;
}

/** A region that could not be read as a message; reported, never fatal. */
export interface MboxProblem {
  offset: number;
  /** Bytes covered by the problem (for skipped messages, the full message size). */
  size: number;
  code: 'too-large' | 'junk-before-first-message' | 'line-too-long';
  detail: string;
}

export type MboxItem = ({ kind: 'message' } & MboxMessage) | ({ kind: 'problem' } & MboxProblem);

// public-inbox's strict From_ line: sender, weekday, month, day, time, year (time zone optional).
const STRICT_FROM = /^From \S+ +\S+ \S+ +\S+ [^\n:]+:[^\n:]+:[^\n:]+ [^\n:]+$/;

const NL = 0x0a;
const FROM_BYTES = Buffer.from('From ', 'latin1');
const NL_FROM = Buffer.from('\nFrom ', 'latin1');

/** True if `line` (no newline) is an mbox From_ separator line. */
export function isFromLine(line: string): boolean {
  return STRICT_FROM.test(line.endsWith('\r') ? line.slice(0, -1) : line);
}

/** Undo From_ escaping of one message. */
export function unescapeFrom(raw: Buffer, flavour: MboxFlavour): Buffer {
  if (raw.indexOf('>From ', 0, 'latin1') < 0) return raw;
  const s = raw.toString('latin1');
  const re = flavour === 'mboxrd' ? /^>(>*From )/gm : /^>(From )/gm;
  return Buffer.from(s.replace(re, '$1'), 'latin1');
}

/** Escape a message for mboxrd: every line matching `>*From ` gains one `>`. */
export function escapeFromRd(raw: Buffer): Buffer {
  if (raw.indexOf('From ', 0, 'latin1') < 0) return raw;
  const s = raw.toString('latin1');
  return Buffer.from(s.replace(/^(>*From )/gm, '>$1'), 'latin1');
}

/** Remove the blank line an mbox writer puts between messages. */
function stripSeparator(b: Buffer): Buffer {
  const n = b.length;
  if (n >= 4 && b[n - 1] === NL && b[n - 2] === 0x0d && b[n - 3] === NL && b[n - 4] === 0x0d)
    return b.subarray(0, n - 2);
  if (n >= 2 && b[n - 1] === NL && b[n - 2] === NL) return b.subarray(0, n - 1);
  return b;
}

/**
 * Split a byte stream into mbox messages. Yields messages and problems in stream order.
 * `maxMessageBytes` bounds memory: a bigger message is skipped (reported with its offset and size).
 */
export async function* readMbox(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  opts: { flavour?: MboxFlavour; maxMessageBytes?: number } = {},
): AsyncGenerator<MboxItem> {
  const flavour = opts.flavour ?? 'mboxrd';
  const maxBytes = opts.maxMessageBytes ?? MAX_MESSAGE_BYTES;

  let carry: Buffer = Buffer.alloc(0); // an incomplete last line
  let carryOffset = 0; // stream offset of carry[0]
  let cur: Buffer[] = []; // pieces of the current message (From_ line excluded)
  let curSize = 0;
  let curOffset = -1; // offset of the current From_ line; -1 before the first one
  let curEnvelope = '';
  let curSkipping = false; // the current message exceeded maxBytes: count bytes only
  let junkSize = 0;
  const out: MboxItem[] = [];

  const finish = (): void => {
    if (curOffset < 0) {
      if (junkSize > 0) {
        const text = Buffer.concat(cur).toString('latin1');
        if (text.trim().length > 0) {
          out.push({
            kind: 'problem',
            offset: 0,
            size: junkSize,
            code: 'junk-before-first-message',
            detail: `${junkSize} bytes before the first From_ line were not part of any message`,
          });
        }
      }
    } else if (curSkipping) {
      out.push({
        kind: 'problem',
        offset: curOffset,
        size: curSize,
        code: 'too-large',
        detail: `message of ${curSize} bytes exceeds the limit of ${maxBytes} bytes (MAX_MESSAGE_BYTES); skipped, it stays in the source`,
      });
    } else {
      const raw = unescapeFrom(stripSeparator(Buffer.concat(cur, curSize)), flavour);
      out.push({ kind: 'message', offset: curOffset, envelope: curEnvelope, raw });
    }
    cur = [];
    curSize = 0;
    curSkipping = false;
    junkSize = 0;
  };

  const append = (piece: Buffer): void => {
    if (piece.length === 0) return;
    if (curOffset < 0) {
      junkSize += piece.length;
      if (cur.length < 4) cur.push(piece); // enough to tell whitespace from junk
      return;
    }
    curSize += piece.length;
    if (curSkipping) return;
    if (curSize > maxBytes) {
      curSkipping = true;
      cur = [];
      return;
    }
    cur.push(piece);
  };

  // Process a region made only of complete lines, starting at a line start.
  const processLines = (region: Buffer, base: number): void => {
    let segStart = 0;
    let search = 0;
    for (;;) {
      let cand: number;
      if (search === 0 && region.length >= 5 && region.compare(FROM_BYTES, 0, 5, 0, 5) === 0) cand = 0;
      else {
        const i = region.indexOf(NL_FROM, search === 0 ? 0 : search - 1);
        if (i < 0) break;
        cand = i + 1;
      }
      const lineEnd = region.indexOf(NL, cand);
      const line = region.toString('latin1', cand, lineEnd < 0 ? region.length : lineEnd);
      search = cand + 1;
      if (!isFromLine(line)) continue;
      append(region.subarray(segStart, cand));
      finish();
      curOffset = base + cand;
      curEnvelope = line.endsWith('\r') ? line.slice(0, -1) : line;
      segStart = lineEnd < 0 ? region.length : lineEnd + 1;
      search = segStart;
      if (search >= region.length) break;
    }
    append(region.subarray(segStart));
  };

  for await (const chunk0 of input) {
    const chunk = typeof chunk0 === 'string' ? Buffer.from(chunk0, 'latin1') : chunk0;
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const lastNL = data.lastIndexOf(NL);
    if (lastNL < 0) {
      carry = data;
      if (carry.length > MAX_LINE_BYTES) {
        // A line this long cannot be a From_ line: pass it through as message content.
        processLines(carry, carryOffset);
        carryOffset += carry.length;
        carry = Buffer.alloc(0);
      }
    } else {
      processLines(data.subarray(0, lastNL + 1), carryOffset);
      carryOffset += lastNL + 1;
      carry = Buffer.from(data.subarray(lastNL + 1));
    }
    while (out.length) yield out.shift()!;
  }
  if (carry.length) processLines(carry, carryOffset);
  finish();
  while (out.length) yield out.shift()!;
}

/** The From_ line used when a message has none of its own (lore uses the same). */
export const DEFAULT_ENVELOPE = 'From mboxrd@z Thu Jan  1 00:00:00 1970';

/** Serialise one message as mboxrd: From_ line, escaped bytes, a newline if missing, a blank line. */
export function writeMboxrdMessage(raw: Buffer, envelope: string = DEFAULT_ENVELOPE): Buffer {
  const body = escapeFromRd(raw);
  const parts = [Buffer.from(envelope + '\n', 'latin1'), body];
  const crlf = body.length >= 2 && body[body.length - 2] === 0x0d && body[body.length - 1] === NL;
  if (body.length === 0 || body[body.length - 1] !== NL) parts.push(Buffer.from('\n'));
  parts.push(Buffer.from(crlf ? '\r\n' : '\n'));
  return Buffer.concat(parts);
}
