/**
 * Own text: what the author of a message wrote themselves, as opposed to what they quoted, the
 * patch they attached, their signature and their trailers. This is the project's one definition
 * of it, the labeller's paragraph rule (docs/labelling.md), used by the argument graph (claims are
 * own-text paragraphs), by decision records (`[msg:ID#pN]` citations and excerpts), by search and
 * the site (what is indexed and how bodies are shown) and by the labelling script
 * (data/labels/segment.mjs), so `#p4` is the same paragraph in a record citation, in the gold
 * labels, in the graph and in a page anchor.
 *
 * Everything here is a single forward pass over lines with explicit loops: no recursion, no
 * regular expression that can backtrack over a whole body.
 */
import { MAX_QUOTE_DEPTH } from '../util/limits.ts';

/** The classes the labeller's rule gives every body line. */
export type LineClass = 'own' | 'blank' | 'quote' | 'attr' | 'snip' | 'trailer' | 'sig' | 'patch';

/** A body split into lines with their offsets. */
export interface Lines {
  text: string[];
  start: number[];
  end: number[];
}

const QUOTE = /^ {0,3}>/;
/** Snip markers: the whole line, trimmed, is `[...]`, `[…]`, `[snip]`, `<snip>` or `...` (indented ones count). */
const SNIP = /^\s*(\[\.\.\.\]|\[…\]|\[snip\]|<snip>|\.\.\.)\s*$/i;
/** Trailer lines as the paragraph rule knows them: unindented tag, colon, whitespace. */
const TRAILER =
  /^(Signed-off-by|Acked-by|Reviewed-by|Tested-by|Nacked-by|Co-developed-by|Suggested-by|Reported-by|Link|Fixes|Cc):\s/i;
/** One-line attributions of the paragraph rule (Gmail, mutt, Gnus, alot, German, Chinese). */
const ATTR_ONE = [
  /^\s*On\s.*\b(wrote|writes)\s*:\s*$/i,
  /^\s*\S.*\b(wrote|writes)\s*:\s*$/i,
  /^\s*Quoting\s.*\(.*\):\s*$/,
  /^\s*Am\s.*\bschrieb\b.*:\s*$/,
  /^\s*在.*写道\s*[:：]\s*$/,
];
/**
 * Longest line tested against the attribution patterns. Real attribution lines are under 300
 * characters; testing `.*` patterns on a megabyte-long line would cost time for nothing.
 */
const MAX_ATTR_LINE = 1000;
/** Outlook's separator and its header block (an extension to the labeller's rule; see docs/graph.md). */
const OUTLOOK_SEP = /^\s*-{3,}\s*Original Message\s*-{3,}\s*$/i;
const OUTLOOK_RULE = /^\s*_{10,}\s*$/;
const OUTLOOK_HEADER = /^\s*(From|Sent|To|Cc|Subject|Date|Von|Gesendet|An|Betreff):/i;
/** A diffstat line (`path | N +-`): after `---`, it starts the patch part. */
export const DIFFSTAT = /^\s*\S+\s+\|\s+(\d+|Bin)/;
/** First line of the patch part when no `---` diffstat came before it. */
export const DIFF_START = /^(diff --git |Index: )/;

/** Whether a line is an attribution line under the paragraph rule. */
export function isAttrLine(l: string): boolean {
  if (l.length > MAX_ATTR_LINE) return false;
  for (const re of ATTR_ONE) if (re.test(l)) return true;
  return false;
}

/** Whether a line is a snip marker (`[...]`, `[snip]`, `<snip>`, `...`). */
export function isSnipLine(l: string): boolean {
  return l.length < 64 && SNIP.test(l);
}

/** Whether a line is a trailer line under the paragraph rule (unindented). */
export function isTrailerLine(l: string): boolean {
  return TRAILER.test(l);
}

/** Quote depth of a line: the number of `>` in its leading run of `>` and single spaces. */
export function quoteDepth(line: string): number {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) !== 62) return 0;
  let depth = 0;
  while (i < line.length) {
    if (line.charCodeAt(i) !== 62) break;
    depth++;
    i++;
    // one optional whitespace character after each marker (`\s?` in the labeller's rule)
    if (i < line.length && /\s/.test(line[i]!)) i++;
  }
  return Math.min(depth, MAX_QUOTE_DEPTH);
}

/** The content of a quote line without its markers. */
export function stripQuote(line: string): string {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === 32) i++;
  while (i < line.length && line.charCodeAt(i) === 62) {
    i++;
    if (i < line.length && /\s/.test(line[i]!)) i++;
  }
  return line.slice(i);
}

/** Split a body into lines (`\n` or `\r\n`), keeping each line's offsets. */
export function splitLines(body: string): Lines {
  const text: string[] = [];
  const start: number[] = [];
  const end: number[] = [];
  let pos = 0;
  for (;;) {
    const nl = body.indexOf('\n', pos);
    const stop = nl < 0 ? body.length : nl;
    const e = stop > pos && body.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
    text.push(body.slice(pos, e));
    start.push(pos);
    end.push(e);
    if (nl < 0) break;
    pos = nl + 1;
  }
  return { text, start, end };
}

/**
 * Classify every line as the labeller's rule does (docs/labelling.md, "The paragraph rule as
 * applied"), plus the Outlook extension: a `-----Original Message-----` separator (or a line of
 * underscores followed by `From:`/`Sent:` headers) makes its header block attribution and every
 * line after it an unmarked depth-1 quote. Returns the classes and, for Outlook quotes, depth 1.
 */
export function classifyLines(lines: string[]): { cls: LineClass[]; outlookFrom: number } {
  const n = lines.length;
  const cls: LineClass[] = new Array<LineClass>(n).fill('own');
  let sig = -1;
  for (let i = 0; i < n; i++)
    if (lines[i] === '-- ') {
      sig = i;
      break;
    }
  // next non-blank line after i, computed backwards once (the rule looks ahead from every `---`)
  let patch = -1;
  let nextNonBlank = -1;
  const nextNb = new Int32Array(n).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    nextNb[i] = nextNonBlank;
    if (lines[i]!.trim() !== '') nextNonBlank = i;
  }
  for (let i = 0; i < n; i++) {
    const l = lines[i]!;
    if (DIFF_START.test(l)) {
      patch = i;
      break;
    }
    if (l === '---') {
      const j = nextNb[i]!;
      const next = j >= 0 ? lines[j]! : '';
      if (DIFFSTAT.test(next) || next.startsWith('diff ')) {
        patch = i;
        break;
      }
    }
  }
  let end = n;
  for (const cut of [sig, patch]) if (cut >= 0 && cut < end) end = cut;
  for (let i = end; i < n; i++) cls[i] = end === sig ? 'sig' : 'patch';
  for (let i = 0; i < end; i++) {
    const l = lines[i]!;
    if (QUOTE.test(l)) cls[i] = 'quote';
    else if (l.trim() === '') cls[i] = 'blank';
    else if (isSnipLine(l)) cls[i] = 'snip';
    else if (TRAILER.test(l)) cls[i] = 'trailer';
    else if (isAttrLine(l)) cls[i] = 'attr';
  }
  for (let i = 0; i + 1 < end; i++) {
    if (
      cls[i] === 'own' &&
      cls[i + 1] === 'attr' &&
      /^\s*On\s/.test(lines[i]!) &&
      !/^\s*On\s/.test(lines[i + 1]!)
    )
      cls[i] = 'attr';
  }
  // Outlook: separator + header block, then the quoted message without markers.
  let outlookFrom = -1;
  for (let i = 0; i < end; i++) {
    if (cls[i] !== 'own') continue;
    const l = lines[i]!;
    const isSep = OUTLOOK_SEP.test(l);
    const isRule = !isSep && OUTLOOK_RULE.test(l) && i + 2 < end && /^\s*(From|Von):/i.test(lines[i + 1]!);
    if (!isSep && !isRule) continue;
    let j = i + 1;
    let headers = 0;
    while (j < end && (OUTLOOK_HEADER.test(lines[j]!) || (headers > 0 && /^\s+\S/.test(lines[j]!)))) {
      headers++;
      j++;
    }
    if (isRule && headers < 2) continue;
    cls[i] = 'attr';
    for (let k = i + 1; k < j; k++) cls[k] = 'attr';
    outlookFrom = j;
    for (let k = j; k < end; k++) if (lines[k]!.trim() !== '') cls[k] = 'quote';
    break;
  }
  return { cls, outlookFrom };
}

/** An own-text paragraph as cited by `#pN`. */
export interface Paragraph {
  /** 1-based paragraph number in message order. */
  n: number;
  /** JavaScript string offsets into the body: `body.slice(start, end)` is the paragraph. */
  start: number;
  end: number;
  /** The same span as UTF-8 byte offsets (what `segments.start`/`end` store). */
  byteStart: number;
  byteEnd: number;
  /** The paragraph's lines as written. */
  text: string;
  /** Lines joined, whitespace collapsed, first 60 characters: the key the gold labels use. */
  prefix: string;
}

/**
 * The own-text paragraphs of a decoded body, numbered as `[msg:ID#pN]` and `[claim:ID#pN]`
 * citations number them (the labeller's paragraph rule, docs/labelling.md). Pure: the same body
 * always gives the same paragraphs, so a decision-record checker can verify citations without the
 * database.
 */
export function ownParagraphs(body: string): Paragraph[] {
  const lines = splitLines(body);
  const { cls } = classifyLines(lines.text);
  const out: Paragraph[] = [];
  const bytes = byteOffsets(body);
  let i = 0;
  const n = cls.length;
  while (i < n) {
    if (cls[i] !== 'own') {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < n && cls[j + 1] === 'own') j++;
    const start = lines.start[i]!;
    const end = lines.end[j]!;
    const text = body.slice(start, end);
    out.push({
      n: out.length + 1,
      start,
      end,
      byteStart: bytes(start),
      byteEnd: bytes(end),
      text,
      prefix: paragraphPrefix(lines.text.slice(i, j + 1).join(' ')),
    });
    i = j + 1;
  }
  return out;
}

/** The 60-character key of a paragraph: whitespace collapsed (JavaScript `\s`), trimmed, cut. */
export function paragraphPrefix(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 60);
}

/**
 * A converter from string offsets to UTF-8 byte offsets for one body. ASCII bodies (the common
 * case) map to themselves; others use a prefix table built once.
 */
export function byteOffsets(body: string): (i: number) => number {
  let ascii = true;
  for (let k = 0; k < body.length; k++)
    if (body.charCodeAt(k) > 127) {
      ascii = false;
      break;
    }
  if (ascii) return (i) => i;
  const table = new Int32Array(body.length + 1);
  let b = 0;
  for (let k = 0; k < body.length; k++) {
    table[k] = b;
    const c = body.charCodeAt(k);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      // a surrogate pair is one 4-byte character; count it on the high half
      b += 4;
      k++;
      if (k < body.length) table[k] = b - 4;
    } else if (c >= 0xdc00 && c <= 0xdfff)
      b += 3; // lone low surrogate: encoded as U+FFFD
    else b += 3;
  }
  table[body.length] = b;
  return (i) => table[i]!;
}

/** What a body line is, for display and indexing. */
export type LineKind =
  | 'own'
  | 'blank'
  | 'quote'
  | 'attribution'
  | 'snip'
  | 'trailer'
  /** The signature, from the `-- ` line on. */
  | 'signature'
  /** The patch part (diffstat, diffs, and anything after a `---` that starts it). */
  | 'patch';

export interface Line {
  text: string;
  kind: LineKind;
  /** Quote depth (number of `>` markers; 1 for an unmarked Outlook-style quote) for quote lines, else 0. */
  depth: number;
  /** Own-text paragraph number (1-based) for own lines, else 0. */
  para: number;
}

const KIND: Record<string, LineKind> = {
  own: 'own',
  blank: 'blank',
  quote: 'quote',
  attr: 'attribution',
  snip: 'snip',
  trailer: 'trailer',
  sig: 'signature',
  patch: 'patch',
};

/** Classify every line of a body and number the own-text paragraphs. */
export function classify(body: string): Line[] {
  const lines = splitLines(body).text;
  const { cls } = classifyLines(lines);
  const out: Line[] = [];
  let para = 0;
  let inPara = false;
  for (let i = 0; i < lines.length; i++) {
    const kind = KIND[cls[i]!] ?? 'own';
    if (kind === 'own') {
      if (!inPara) para++;
      inPara = true;
    } else inPara = false;
    const d = kind === 'quote' ? quoteDepth(lines[i]!) : 0;
    out.push({
      text: lines[i]!,
      kind,
      // Outlook-style quotes (after `-----Original Message-----`) carry no `>`: depth 1.
      depth: kind === 'quote' ? Math.max(d, 1) : 0,
      para: kind === 'own' ? para : 0,
    });
  }
  return out;
}

/**
 * The own-text paragraphs' lines joined with `\n` (paragraph N is element N-1): the text as
 * displayed and indexed, without the `\r` of a CRLF body that `Paragraph.text` keeps.
 */
export function ownParagraphTexts(body: string): string[] {
  const paras: string[] = [];
  for (const l of classify(body)) {
    if (l.kind !== 'own') continue;
    if (paras.length < l.para) paras.push(l.text);
    else paras[l.para - 1] += '\n' + l.text;
  }
  return paras;
}

/** Own text as one string (paragraphs separated by blank lines), cut at `cap` characters. */
export function ownText(body: string, cap = Infinity): string {
  const t = ownParagraphTexts(body).join('\n\n');
  return t.length > cap ? t.slice(0, cap) : t;
}

/** Anything `normalizeSpace` would change: two whitespace characters in a row, whitespace other than a space, or at an end. */
const NOT_NORMAL = /\s\s|[^\S ]|^\s|\s$/;

/** Whitespace-normalised text: every run of whitespace is one space, trimmed (§3.3). */
export function normalizeSpace(s: string): string {
  // most quoted lines and paragraphs are normal already: one test instead of a replace and a trim
  // (the site normalises every quoted line of a thread page when it renders one)
  return NOT_NORMAL.test(s) ? s.replace(/\s+/g, ' ').trim() : s;
}
