/**
 * Everything done to one raw message before it is written: hash, parse, and derive the
 * fields that need no database (subject parts, trailers, the first attribution line). Pure CPU
 * work, so it runs in worker threads (see ./workers.ts); it never throws for bad mail.
 */
import { parseMessage, type ParsedMessage } from '../mail/parse.ts';
import { parseHypermailHtml, parseHypermailText } from './hypermail.ts';
import { parseSubject } from '../mail/subject.ts';
import { parseTrailerLine, type Trailer } from '../mail/trailers.ts';
import { isAttributionLine } from '../mail/attribution.ts';
import { sha256 } from '../mail/msgid.ts';
import type { PreparedMessage, RawFormat } from '../store/types.ts';

/** Trailer lines of the message's own text: unquoted, before the patch part, outside the signature. */
export function extractTrailers(body: string): Trailer[] {
  const out: Trailer[] = [];
  for (const line of body.split('\n')) {
    const l = line.replace(/\r$/, '');
    if (l === '-- ' || /^diff --git /.test(l) || l === '---') break;
    if (/^\s*>/.test(l)) continue;
    const t = parseTrailerLine(l.trim());
    if (t && /^\S/.test(l)) out.push(t);
  }
  return out;
}

/** The first attribution line, joining a line wrapped before "wrote:". */
export function firstAttribution(body: string): string | null {
  const lines = body.split('\n', 400);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (/^>/.test(l)) continue;
    if (isAttributionLine(l)) return l;
    const next = lines[i + 1]?.trim();
    if (next && !/^>/.test(next) && /^On\b/.test(l) && isAttributionLine(`${l} ${next}`))
      return `${l} ${next}`;
  }
  return null;
}

export async function prepareMessage(raw: Uint8Array, format: RawFormat): Promise<PreparedMessage> {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const rawSha = sha256(buf);
  let parsed: ParsedMessage;
  let dateApprox = false;
  if (format === 'hypermail-text') {
    const p = parseHypermailText(buf);
    dateApprox = p.dateApprox;
    parsed = p;
  } else if (format === 'hypermail-html') {
    const p = parseHypermailHtml(buf);
    dateApprox = p.dateApprox;
    parsed = p;
  } else parsed = await parseMessage(buf);
  return {
    format,
    rawSha,
    rawSize: buf.length,
    parsed,
    dateApprox,
    subject: parseSubject(parsed.subject),
    trailers: extractTrailers(parsed.body),
    attribution: firstAttribution(parsed.body),
    contentSha: sha256(parsed.body.replace(/\s+/g, '')),
  };
}
