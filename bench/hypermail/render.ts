/**
 * Render a raw message as a hypermail archive page, in the two forms argmap reads.
 *
 * Text form — what lkml.iu.edu-style hypermail shows as text (the seed page
 * data/corpus/pages/seed-hypermail-20200922-shakeel-butt.txt):
 *
 *   Re: [PATCH] memcg: introduce per-memcg reclaim interface
 *
 *   From: Shakeel Butt
 *   Date: Tue Sep 22 2020 - 14:10:38 EST
 *
 *   <body>
 *
 * HTML form — a hypermail 2.x message page: the header comments that hypermail writes for its
 * incremental runs (`received`, `isoreceived`, `sent`, `isosent`, `name`, `email`, `subject`,
 * `id`, `charset`, `inreplyto`, `expires`; see hypermail's print.c, writearticles/printcomment),
 * then the body between `<!-- body="start" -->` and `<!-- body="end" -->` as printbody writes it
 * with showhtml on: one mail line per source line followed by a `<br>`, a blank line as `<p>`,
 * leading blanks as `&nbsp;`, quoted lines in `<span class="quotelevN">`, a signature in `<pre>`,
 * URLs as links, everything else HTML-escaped. A page saved from lkml.iu.edu's text view carries
 * no Message-ID, so `id`/`inreplyto` can be left out (`ids: false`).
 *
 * Both forms obfuscate every address `user@host` as `user@` + one `x` per character of the host
 * (`mhocko@suse.com` → `mhocko@xxxxxxxx`, as the seed shows; `obfuscation: 'fixed'` writes exactly
 * eight), and print the date in US Eastern local time (EDT in summer, EST in winter, by the US
 * daylight-saving rules of the year) with the label "EST" whatever the season.
 */
import type { RawMessage } from './mail.ts';

export type Obfuscation = 'length' | 'fixed';

export interface RenderOptions {
  /** `length` (default): one x per host character; `fixed`: always `xxxxxxxx`. */
  obfuscation?: Obfuscation;
  /** HTML only: write the `id` and `inreplyto` comments (default true; false = a saved id-less page). */
  ids?: boolean;
  /** The archive's receipt time to print; default the message's Date. */
  receivedMs?: number;
  /** HTML only: the archive's name in the title (default "Linux-Kernel Archive"). */
  label?: string;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Day of the month of the n-th (1-based; -1 = last) Sunday of a month (0-based month). */
function nthSunday(year: number, month: number, n: number): number {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return 1 + ((7 - first) % 7) + 7 * (n - 1);
  }
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const dow = new Date(Date.UTC(year, month, lastDay)).getUTCDay();
  return lastDay - dow;
}

/**
 * Offset of US Eastern time from UTC at an instant, in minutes (-240 in daylight time, -300
 * otherwise). Rules: since 2007 DST runs from the second Sunday of March to the first Sunday of
 * November; 1987–2006 from the first Sunday of April to the last Sunday of October; before that
 * (as an approximation) from the last Sunday of April to the last Sunday of October. The change
 * happens at 02:00 local time (07:00 UTC in spring, 06:00 UTC in autumn).
 */
export function easternOffsetMinutes(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  let start: number;
  let end: number;
  if (year >= 2007) {
    start = Date.UTC(year, 2, nthSunday(year, 2, 2), 7);
    end = Date.UTC(year, 10, nthSunday(year, 10, 1), 6);
  } else if (year >= 1987) {
    start = Date.UTC(year, 3, nthSunday(year, 3, 1), 7);
    end = Date.UTC(year, 9, nthSunday(year, 9, -1), 6);
  } else {
    start = Date.UTC(year, 3, nthSunday(year, 3, -1), 7);
    end = Date.UTC(year, 9, nthSunday(year, 9, -1), 6);
  }
  return utcMs >= start && utcMs < end ? -240 : -300;
}

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  dow: number;
}

function easternWall(utcMs: number): Wall {
  const t = new Date(utcMs + easternOffsetMinutes(utcMs) * 60_000);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth(),
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
    dow: t.getUTCDay(),
  };
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** lkml.iu.edu's date line: `Tue Sep 22 2020 - 14:10:38 EST` (Eastern local time, always "EST"). */
export function hypermailDate(utcMs: number): string {
  const w = easternWall(utcMs);
  return `${DAYS[w.dow]} ${MONTHS[w.mo]} ${p2(w.d)} ${w.y} - ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)} EST`;
}

/** hypermail's `received` comment: the mbox From_ line time, ctime style, archive-local (Eastern). */
export function ctimeEastern(utcMs: number): string {
  const w = easternWall(utcMs);
  return `${DAYS[w.dow]} ${MONTHS[w.mo]} ${String(w.d).padStart(2, ' ')} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)} ${w.y}`;
}

/** hypermail's `isoreceived`/`isosent`: UTC as YYYYMMDDHHMMSS. */
export function isoCompact(utcMs: number): string {
  return new Date(utcMs).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const ADDRESS =
  /([^\s<>()[\]@,;:"'`]+)@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)/g;

/** Obfuscate every address in a text as the archive does. */
export function obfuscate(text: string, how: Obfuscation = 'length'): string {
  return text.replace(ADDRESS, (_all, user: string, host: string) =>
    how === 'fixed' ? `${user}@xxxxxxxx` : `${user}@${'x'.repeat(host.length)}`,
  );
}

/**
 * The body as the archive page shows it. Inferred from the seed page (not from hypermail's
 * sources): a line that holds only a first-level quote marker (`>`) is not shown, while empty
 * deeper quote lines (`> >`) are; leading blank lines are skipped (hypermail's printbody does the
 * same) and trailing white space is dropped.
 */
export function pageBody(m: RawMessage, how: Obfuscation = 'length'): string[] {
  const lines = obfuscate(m.text, how)
    .split('\n')
    .filter((l) => !/^>[ \t]*$/.test(l));
  while (lines.length && lines[0]!.trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.map((l) => l.replace(/[ \t]+$/, ''));
}

function displayName(m: RawMessage, how: Obfuscation): string {
  return obfuscate(m.fromName || m.fromAddr || '(no name)', how);
}

function displaySubject(m: RawMessage, how: Obfuscation): string {
  return obfuscate(m.subject || '(no subject)', how);
}

function pageTime(m: RawMessage, o: RenderOptions): number {
  const t = o.receivedMs ?? m.dateMs;
  if (t === null || t === undefined) throw new Error(`message ${m.messageId ?? '?'} has no usable date`);
  return t;
}

/** The text form of a page (no newline after the last body line, like the seed). */
export function renderText(m: RawMessage, o: RenderOptions = {}): string {
  const how = o.obfuscation ?? 'length';
  const head = [
    displaySubject(m, how),
    '',
    `From: ${displayName(m, how)}`,
    `Date: ${hypermailDate(pageTime(m, o))}`,
    '',
  ];
  return [...head, ...pageBody(m, how)].join('\n');
}

/** HTML-escape as hypermail's convchars does. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Escape a line and turn its URLs into links (hypermail's ConvURLs, without mail commands). */
function convLine(s: string): string {
  return escapeHtml(s).replace(
    /\b(https?|ftp):\/\/[^\s<>"]*[^\s<>".,;:!?)\]&]/g,
    (url) => `<a href="${url}">${url}</a>`,
  );
}

/** A header comment; `--` may not appear inside an HTML comment. */
function comment(label: string, value: string): string {
  return `<!-- ${label}="${value.replace(/--/g, '&#45;&#45;').replace(/"/g, '&quot;')}" -->`;
}

function quoteClass(line: string): string {
  let depth = 0;
  for (const ch of line) {
    if (ch === '>') depth++;
    else if (ch !== ' ' && ch !== '\t') break;
  }
  if (depth > 4) depth = ((depth - 1) % 4) + 1;
  return `quotelev${depth}`;
}

const isSigStart = (l: string): boolean => l === '--' || l === '-- ' || l === '---' || l === '----';

/** The body as hypermail 2.x prints it between the body markers (showhtml = 1, showbr = 1). */
export function htmlBody(lines: string[]): string {
  let out = '<p>\n';
  let inSig = false;
  for (const line of lines) {
    if (!inSig && isSigStart(line)) {
      inSig = true;
      out += '<pre>\n';
    }
    if (inSig) {
      out += convLine(line) + '\n';
    } else if (line === '') {
      out += '<p>';
    } else if (/^[ \t]*>/.test(line)) {
      out += `<span class="${quoteClass(line)}">${convLine(line)}\n</span><br>\n`;
    } else {
      const lead = /^[ \t]*/.exec(line)![0];
      const nbsp = lead.replace(/\t/g, '        ').replace(/ /g, '&nbsp;');
      out += nbsp + convLine(line.slice(lead.length)) + '\n<br>\n';
    }
  }
  if (inSig) out += '</pre>\n';
  return out;
}

/** The HTML form of a page: a hypermail 2.x message page (the layout of its 2.3 releases). */
export function renderHtml(m: RawMessage, o: RenderOptions = {}): string {
  const how = o.obfuscation ?? 'length';
  const ids = o.ids ?? true;
  const t = pageTime(m, o);
  const subject = displaySubject(m, how);
  const name = displayName(m, how);
  const email = obfuscate(m.fromAddr, how);
  const sent = m.dateRaw ?? '';
  const date = hypermailDate(t);
  // hypermail's spamprotect_id: the "@" of ids in comments is written as "_at_".
  const munge = (id: string): string => id.replace('@', '_at_');
  const comments = [
    comment('received', ctimeEastern(t)),
    comment('isoreceived', isoCompact(t)),
    comment('sent', sent),
    m.dateMs === null ? null : comment('isosent', isoCompact(m.dateMs)),
    comment('name', name),
    comment('email', email),
    comment('subject', escapeHtml(subject)),
    ids && m.messageId ? comment('id', munge(m.messageId)) : null,
    comment('charset', m.charset),
    ids && m.inReplyTo[0] ? comment('inreplyto', munge(m.inReplyTo[0])) : null,
    comment('expires', '-1'),
  ].filter((x): x is string => x !== null);
  const label = o.label ?? 'Linux-Kernel Archive';
  return [
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">',
    '<html lang="en">',
    '<head>',
    '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">',
    '<meta name="generator" content="hypermail 2.3.0, see http://www.hypermail-project.org/">',
    `<title>${escapeHtml(label)}: ${escapeHtml(subject)}</title>`,
    `<meta name="Author" content="${escapeHtml(name)} (${escapeHtml(email)})">`,
    `<meta name="Subject" content="${escapeHtml(subject)}">`,
    `<meta name="Date" content="${new Date(t).toISOString().slice(0, 10)}">`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(subject)}</h1>`,
    ...comments,
    '<p class="headers">',
    `<strong>From:</strong> ${escapeHtml(name)} (<em>${escapeHtml(email)}</em>)<br>`,
    `<strong>Date:</strong> ${date}`,
    '</p>',
    '<ul class="links">',
    '<!-- next="start" -->',
    '<!-- nextthread="start" -->',
    '<!-- reply="end" -->',
    '</ul>',
    '<hr>',
    '<!-- body="start" -->',
    htmlBody(pageBody(m, how)) + '<!-- body="end" -->',
    '<hr>',
    '<!-- trailer="footer" -->',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
