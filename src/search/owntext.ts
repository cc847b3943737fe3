/**
 * Own text: what the author of a message wrote themselves, as opposed to what they quoted, the
 * patch they attached, their signature and their trailers. Implements the rules of
 * docs/decisions.md §3.2 exactly, so that paragraph numbers (`#p4`) on the site, in the search
 * index and in decision-record citations all mean the same paragraph.
 *
 * The decision-record checker (src/decisions/paragraphs.ts) implements the same rules for
 * paragraphs only; this module also keeps the kind of every other line, for display. A test
 * compares the two paragraph by paragraph over the bundled archive.
 */
import { isAttributionLine } from '../mail/attribution.ts';

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
  /** The patch part: from the `---` before a diffstat/diff, or from the first `diff --git`. */
  | 'patch';

export interface Line {
  text: string;
  kind: LineKind;
  /** Quote depth (number of `>` markers) for quote lines, else 0. */
  depth: number;
  /** Own-text paragraph number (1-based) for own lines, else 0. */
  para: number;
}

/** Longest body we classify; anything past it is treated as one opaque tail (hostile input). */
export const MAX_BODY_CHARS = 2_000_000;

const DIFFSTAT_SUMMARY = /^\s*\d+ files? changed\b/;
const QUOTE_MARKERS = /^[ \t]*((?:>[ \t]?)+)/;

/** Number of `>` markers at the start of a quote line, or 0. */
export function quoteDepth(line: string): number {
  const m = QUOTE_MARKERS.exec(line);
  if (!m) return 0;
  let d = 0;
  for (const ch of m[1]!) if (ch === '>') d++;
  return d;
}

/** A quote line without its markers. */
export function stripQuote(line: string): string {
  return line.replace(QUOTE_MARKERS, '');
}

function isQuote(line: string): boolean {
  return /^\s*>/.test(line);
}

function endsLikeAttribution(line: string): boolean {
  const t = line.trim();
  return /(wrote|writes)\s*:$/i.test(t) || /写道[:：]$/.test(t) || isAttributionLine(t);
}

function isSnip(line: string): boolean {
  const t = line.trim();
  return /^(\[(\.\.\.|…)\]|<snip>|\[snip[^\]]*\]|<snip[^>]*>)$/i.test(t);
}

function isTrailer(line: string): boolean {
  return /^(([A-Za-z]+-)+by|Cc|Link|Fixes|Closes):\s/i.test(line.trim());
}

/** Index of the first line of the patch part, or -1 (docs/decisions.md §3.2 step 1). */
export function patchStart(lines: string[]): number {
  let laterDiff = -1;
  // Scan backwards once so "followed anywhere later by a diff or diffstat" is O(n).
  const hasLater: boolean[] = new Array<boolean>(lines.length + 1).fill(false);
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    hasLater[i] = hasLater[i + 1]! || l.startsWith('diff --git ') || DIFFSTAT_SUMMARY.test(l);
  }
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.replace(/\s+$/, '') === '---' && hasLater[i + 1]) return i;
    if (laterDiff < 0 && lines[i]!.startsWith('diff --git ')) laterDiff = i;
  }
  return laterDiff;
}

/** Split a decoded body into lines (LF; CR removed). */
export function bodyLines(body: string): string[] {
  const b = body.length > MAX_BODY_CHARS ? body.slice(0, MAX_BODY_CHARS) : body;
  return b.replace(/\r\n?/g, '\n').split('\n');
}

/** Classify every line of a body and number the own-text paragraphs. */
export function classify(body: string): Line[] {
  const lines = bodyLines(body);
  const kinds: LineKind[] = new Array<LineKind>(lines.length).fill('own');
  let end = lines.length;
  const p = patchStart(lines);
  if (p >= 0) {
    for (let i = p; i < lines.length; i++) kinds[i] = 'patch';
    end = p;
  }
  for (let i = 0; i < end; i++) {
    if (lines[i]!.replace(/\s+$/, '') === '--') {
      for (let j = i; j < end; j++) kinds[j] = 'signature';
      end = i;
      break;
    }
  }
  for (let i = 0; i < end; i++) {
    const l = lines[i]!;
    if (l.trim() === '') kinds[i] = 'blank';
    else if (isQuote(l)) kinds[i] = 'quote';
    else if (endsLikeAttribution(l)) kinds[i] = 'attribution';
    else if (isSnip(l)) kinds[i] = 'snip';
    else if (isTrailer(l)) kinds[i] = 'trailer';
  }
  // An attribution wrapped over two lines: `On …` directly followed by a non-quote attribution line.
  for (let i = 0; i + 1 < end; i++) {
    if (kinds[i] === 'own' && /^On /.test(lines[i]!.trim()) && kinds[i + 1] === 'attribution') {
      kinds[i] = 'attribution';
    }
  }
  const out: Line[] = [];
  let para = 0;
  let inPara = false;
  for (let i = 0; i < lines.length; i++) {
    const kind = kinds[i]!;
    if (kind === 'own') {
      if (!inPara) para++;
      inPara = true;
    } else inPara = false;
    out.push({
      text: lines[i]!,
      kind,
      depth: kind === 'quote' ? quoteDepth(lines[i]!) : 0,
      para: kind === 'own' ? para : 0,
    });
  }
  return out;
}

/** The own-text paragraphs of a body, in order (paragraph N is element N-1). */
export function ownParagraphs(body: string): string[] {
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
  const t = ownParagraphs(body).join('\n\n');
  return t.length > cap ? t.slice(0, cap) : t;
}

/** Whitespace-normalised text: every run of whitespace is one space, trimmed (§3.3). */
export function normalizeSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
