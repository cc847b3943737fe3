/**
 * Hypermail archive pages (lkml.iu.edu and other hypermail installs).
 *
 * Text form (what a browser's "save as text" or a copy of the page gives):
 *   subject line, blank line, `From: Name`, `Date: Tue Sep 22 2020 - 14:10:38 EST`, blank line, body.
 *   There is no Message-ID and addresses are obfuscated (`mhocko@xxxxxxxx`).
 * HTML form: hypermail writes the headers as comments (`<!-- sent="…" -->`, `<!-- name="…" -->`,
 *   `<!-- email="…" -->`, `<!-- subject="…" -->`, `<!-- id="…" -->`, `<!-- inreplyto="…" -->`)
 *   and the body between `<!-- body="start" -->` and `<!-- body="end" -->`.
 *
 * Hypermail's "EST" times are the archive's receipt time in US Eastern local time (EDT in summer),
 * so the stored date is marked approximate.
 */
import type { ParsedMessage, MessageProblem } from '../mail/parse.ts';
import { parseHypermailDate, parseMailDate, toIsoUtc } from '../mail/date.ts';
import { normaliseMsgId, extractMsgIds } from '../mail/msgid.ts';

export interface HypermailParsed extends ParsedMessage {
  /** True: the date is a receipt time, only approximately the sending time. */
  dateApprox: boolean;
}

/** Parse the text form of a hypermail page. */
export function parseHypermailText(raw: Buffer): HypermailParsed {
  const problems: MessageProblem[] = [];
  const text = raw.toString('utf8').replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const subject = (lines[i] ?? '').trim();
  i++;
  let fromName = '';
  let dateRaw: string | null = null;
  // The header block: From:/Date: lines after the subject, before the first blank line that follows them.
  let sawHeader = false;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    const m = /^(From|Date|To|Cc|Subject):\s*(.*)$/.exec(l);
    if (m) {
      sawHeader = true;
      if (m[1] === 'From') fromName = m[2]!.trim();
      else if (m[1] === 'Date') dateRaw = m[2]!.trim();
      continue;
    }
    if (l.trim() === '' && !sawHeader) continue;
    if (l.trim() === '') {
      i++;
      break;
    }
    break;
  }
  const body = lines.slice(i).join('\n');
  const ms = dateRaw ? parseHypermailDate(dateRaw) : null;
  if (dateRaw && ms === null)
    problems.push({ code: 'bad-date', detail: `unparsable hypermail date ${JSON.stringify(dateRaw)}` });
  // "Name <user@xxxxxxxx>" may appear; usually only the name is shown.
  const addrM = /<([^<>\s]+@[^<>\s]+)>/.exec(fromName);
  const addr = addrM ? addrM[1]!.toLowerCase() : '';
  if (addrM) fromName = fromName.replace(addrM[0], '').trim();
  return {
    messageId: null,
    inReplyTo: [],
    references: [],
    subject,
    fromName,
    fromAddr: addr,
    // an archive page shows no recipients
    to: '',
    cc: '',
    date: ms === null ? null : toIsoUtc(ms),
    dateRaw,
    body,
    htmlOnly: false,
    listId: null,
    attachments: [],
    problems,
    dateApprox: true,
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Decode HTML character references (named, decimal, hex); unknown names stay as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (all, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)
        ? String.fromCodePoint(cp)
        : '\uFFFD';
    }
    return ENTITIES[ref.toLowerCase()] ?? all;
  });
}

/**
 * Turn the HTML of a hypermail body into the plain text it was made from. Outside `<pre>`, source
 * newlines are layout only (hypermail ends each mail line with "\n<br>\n"); `<br>` is the line
 * break and `<p>` a blank line. Inside `<pre>` (signatures) newlines are kept.
 */
export function hypermailBodyToText(html: string): string {
  const parts = splitPre(html.replace(/\r\n/g, '\n'));
  const text = parts
    .map((part, i) => {
      if (i % 2 === 1) return part.replace(/^<pre\b[^>]*>\n?/i, '').replace(/<\/pre>$/i, '');
      return part
        .replace(/\n/g, '')
        .replace(/<br\s*\/?>/gi, '\n')
        .replace(/<p\b[^>]*>/gi, '\n');
    })
    .join('');
  // `[^<>]`: a tag holds no "<", so a page of many unclosed "<" is read once, not 2,000 characters
  // from each of them.
  return decodeEntities(text.replace(/<[^<>]{0,2000}>/g, ''))
    .replace(/^\n+/, '')
    .replace(/\n{3,}$/, '\n');
}

/**
 * Split at `<pre>…</pre>` blocks: [text, pre, text, pre, …, text], like `split` with a capturing
 * group. A scan with indexOf: the regular expression `<pre\b[^>]*>[\s\S]*?<\/pre>` went to the end
 * of the page from every unclosed `<pre>` (quadratic on hostile pages).
 */
function splitPre(html: string): string[] {
  const lower = html.toLowerCase();
  const out: string[] = [];
  let from = 0;
  let at = 0;
  for (;;) {
    const open = lower.indexOf('<pre', at);
    if (open < 0) break;
    if (/[a-z0-9_]/.test(lower[open + 4] ?? '')) {
      at = open + 4; // <prefix…>, not <pre>
      continue;
    }
    const gt = lower.indexOf('>', open);
    const close = gt < 0 ? -1 : lower.indexOf('</pre>', gt);
    if (close < 0) break; // no complete block from here on
    out.push(html.slice(from, open), html.slice(open, close + 6));
    from = at = close + 6;
  }
  out.push(html.slice(from));
  return out;
}

function comment(html: string, name: string): string | null {
  const m = new RegExp(`<!--\\s*${name}="([^"]*)"\\s*-->`).exec(html);
  return m ? decodeEntities(m[1]!) : null;
}

/** Parse the saved HTML of a hypermail page. */
export function parseHypermailHtml(raw: Buffer): HypermailParsed {
  const problems: MessageProblem[] = [];
  const html = raw.toString('utf8');
  const sent = comment(html, 'sent');
  const received = comment(html, 'received');
  // Hypermail writes "@" as "_at_" in ids and addresses; "[hidden]" stands for a masked domain.
  const unmunge = (v: string | null): string | null => (v === null ? null : v.replace(/_at_/g, '@'));
  const idRaw = unmunge(comment(html, 'id'));
  const inReplyTo = unmunge(comment(html, 'inreplyto'));
  let fromName = comment(html, 'name') ?? '';
  let addr = (unmunge(comment(html, 'email')) ?? '').toLowerCase();
  if (!fromName && addr) fromName = addr;
  const subject = comment(html, 'subject') ?? /<title>([^<]*)<\/title>/i.exec(html)?.[1] ?? '';
  const start = html.indexOf('<!-- body="start" -->');
  const end = html.indexOf('<!-- body="end" -->');
  let body = '';
  if (start >= 0) body = hypermailBodyToText(html.slice(start + 21, end > start ? end : undefined));
  else
    problems.push({
      code: 'no-body-markers',
      detail: 'hypermail page without body="start" marker; body left empty',
    });
  // `sent` is the sender's Date header; `received` is the archive's local receipt time.
  let ms = sent ? parseMailDate(sent) : null;
  let approx = false;
  if (ms === null && received) {
    ms = parseHypermailDate(received) ?? parseMailDate(received);
    approx = true;
  }
  const messageId = idRaw ? normaliseMsgId(idRaw) : null;
  // Hypermail installs that obfuscate addresses also obfuscate ids: such an id cannot be trusted.
  const obfuscatedId = messageId !== null && /@(x{3,}|\[hidden\])$/.test(messageId);
  if (obfuscatedId)
    problems.push({
      code: 'obfuscated-message-id',
      detail: `Message-ID ${messageId} is obfuscated by the archive; not used`,
    });
  if (addr && !addr.includes('@')) addr = '';
  return {
    messageId: obfuscatedId ? null : messageId,
    inReplyTo: inReplyTo
      ? extractMsgIds(`<${inReplyTo.replace(/^<|>$/g, '')}>`).filter((id) => !/@(x{3,}|\[hidden\])$/.test(id))
      : [],
    references: [],
    subject: subject.replace(/\s+/g, ' ').trim(),
    fromName: fromName.trim(),
    fromAddr: addr,
    // an archive page shows no recipients
    to: '',
    cc: '',
    date: ms === null ? null : toIsoUtc(ms),
    dateRaw: sent ?? received,
    body,
    htmlOnly: false,
    listId: null,
    attachments: [],
    problems,
    dateApprox: approx,
  };
}
