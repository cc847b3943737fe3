/**
 * Segmentation of a decoded message body into typed segments: own text, quotes (with depth),
 * attribution lines, snip markers, signature, change logs, diffstat, per-file diffs and trailer
 * blocks, each with offsets into the body.
 *
 * The own-text paragraph rule is the labeller's rule (docs/labelling.md, data/labels/segment.mjs),
 * line for line, because decision records cite paragraphs as `[msg:ID#pN]` and the gold labels
 * are keyed by the same N. Everything this module adds (finer kinds inside quotes and inside the
 * patch part, change-log typing, Outlook separators) never moves a paragraph boundary of a message
 * that the labeller's rule handles, except for the documented Outlook extension.
 *
 * Everything here is a single forward pass over lines with explicit loops: no recursion, no
 * regular expression that can backtrack over a whole body.
 */
import { MAX_QUOTE_DEPTH } from '../util/limits.ts';

/** Segment kinds stored in `segments.kind`. */
export type SegmentKind =
  'own' | 'changelog' | 'quote' | 'attribution' | 'snip' | 'signature' | 'trailer' | 'diffstat' | 'diff';

/** One typed span of a body. Offsets are JavaScript string indices (UTF-16 code units). */
export interface Segment {
  kind: SegmentKind;
  /** Quote depth: 0 for the writer's own lines, N for a line starting with N `>` markers. */
  depth: number;
  /** First character of the segment's first line. */
  start: number;
  /** End of the segment's last line (before its line break). */
  end: number;
  /** First and last line numbers (0-based, inclusive). */
  firstLine: number;
  lastLine: number;
  /** For own-text paragraphs (`own` and `changelog` before the patch part): the N of `#pN`. */
  para: number | null;
  /** For `diff`: the file path the diff changes. */
  file: string | null;
}

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
const DIFFSTAT = /^\s*\S+\s+\|\s+(\d+|Bin)/;
const DIFF_START = /^(diff --git |Index: )/;

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

/** Changelog headings: "Changes since v1:", "Changes in v2", "Changelog:", "v2 -> v3:", "v3:", "Since v1:". */
const CHANGELOG_HEAD = [
  /^\s*(?:changes|changelog|change[- ]log|change history|revision history|version history)\b[^.?!]{0,60}:?\s*$/i,
  /^\s*changes\s+(?:since|from|in|between|vs\.?)\s/i,
  /^\s*\[?(?:RFC\s*)?v\d+\]?\s*(?:->|→|-->|to|vs\.?|\.\.)\s*\[?v\d+\b/i,
  /^\s*[-*]?\s*\(?(?:RFC\s*)?v\d+\)?\s*(?:->|:)/i,
  /^\s*since\s+(?:RFC\s*)?v\d+\b/i,
];
const LIST_ITEM = /^\s*(?:[-*•+o]\s|\d{1,2}[.)]\s|\(\d{1,2}\)\s|\s{2,}\S)/;

/** Whether a paragraph's first line opens a version change log. */
export function isChangelogHead(firstLine: string): boolean {
  if (firstLine.length > 200) return false;
  for (const re of CHANGELOG_HEAD) if (re.test(firstLine)) return true;
  return false;
}

/** A body's segments, in order. */
export function segmentBody(body: string): Segment[] {
  const lines = splitLines(body);
  const { cls, outlookFrom } = classifyLines(lines.text);
  return segmentLines(lines, cls, outlookFrom);
}

/**
 * Build segments from classified lines. `outlookFrom`: first line of an Outlook-style quoted
 * message (no markers), or -1; marked lines inside it are one level deeper than their markers say.
 */
export function segmentLines(lines: Lines, cls: LineClass[], outlookFrom = -1): Segment[] {
  const out: Segment[] = [];
  const L = lines.text;
  const n = L.length;
  const push = (kind: SegmentKind, depth: number, a: number, b: number, file: string | null = null): void => {
    out.push({
      kind,
      depth,
      start: lines.start[a]!,
      end: lines.end[b]!,
      firstLine: a,
      lastLine: b,
      para: null,
      file,
    });
  };
  let para = 0;
  let inChangelog = false;
  let i = 0;
  while (i < n) {
    const c = cls[i]!;
    if (c === 'blank') {
      i++;
      continue;
    }
    if (c === 'own') {
      let j = i;
      while (j + 1 < n && cls[j + 1] === 'own') j++;
      const first = L[i]!;
      if (isChangelogHead(first)) inChangelog = true;
      else if (inChangelog && !LIST_ITEM.test(first) && !/^\s*(?:https?:\/\/|\[\d+\])/.test(first))
        inChangelog = false;
      push(inChangelog ? 'changelog' : 'own', 0, i, j);
      out[out.length - 1]!.para = ++para;
      i = j + 1;
      continue;
    }
    inChangelog = false;
    if (c === 'attr' || c === 'snip' || c === 'trailer') {
      let j = i;
      while (j + 1 < n && cls[j + 1] === c) j++;
      push(c === 'attr' ? 'attribution' : c, 0, i, j);
      i = j + 1;
      continue;
    }
    if (c === 'quote') {
      i = quoteRun(lines, cls, i, push, outlookFrom);
      continue;
    }
    if (c === 'sig') {
      // From "-- " to the end, unless a diff follows (a patch after a signature).
      let j = i;
      while (j + 1 < n && cls[j + 1] === 'sig' && !DIFF_START.test(L[j + 1]!)) j++;
      push('signature', 0, i, lastNonBlank(L, i, j));
      if (j + 1 < n) patchPart(lines, j + 1, n - 1, push);
      i = n;
      continue;
    }
    // patch part
    patchPart(lines, i, n - 1, push);
    i = n;
  }
  return out;
}

function lastNonBlank(L: string[], a: number, b: number): number {
  let j = b;
  while (j > a && L[j]!.trim() === '') j--;
  return j;
}

type Push = (kind: SegmentKind, depth: number, a: number, b: number, file?: string | null) => void;

/**
 * Quote lines from `i`: split by depth, at blank quote lines, at quoted snip markers and at quoted
 * attribution lines (which become `attribution` segments with their depth).
 */
function quoteRun(lines: Lines, cls: LineClass[], i: number, push: Push, outlookFrom: number): number {
  const L = lines.text;
  const n = L.length;
  const marked = (k: number): boolean => L[k]!.trimStart().startsWith('>');
  // depth and content of a quote line; inside an Outlook-quoted message everything is one deeper
  const depthOf = (k: number): number => {
    const extra = outlookFrom >= 0 && k >= outlookFrom ? 1 : 0;
    return (marked(k) ? quoteDepth(L[k]!) : 0) + extra || 1;
  };
  const contentOf = (k: number): string => (marked(k) ? stripQuote(L[k]!) : L[k]!);
  let j = i;
  while (j < n && cls[j] === 'quote') {
    const d = depthOf(j);
    const content = contentOf(j);
    if (content.trim() === '') {
      j++;
      continue;
    }
    if (isSnipLine(content)) {
      push('snip', d, j, j);
      j++;
      continue;
    }
    // attribution: one line, or "On …" wrapped onto a second line at the same depth
    if (isAttrLine(content)) {
      push('attribution', d, j, j);
      j++;
      continue;
    }
    if (/^\s*On\s/.test(content) && j + 1 < n && cls[j + 1] === 'quote' && depthOf(j + 1) === d) {
      const next = contentOf(j + 1);
      if (isAttrLine(next) && !/^\s*On\s/.test(next)) {
        push('attribution', d, j, j + 1);
        j += 2;
        continue;
      }
    }
    let k = j;
    while (k + 1 < n && cls[k + 1] === 'quote') {
      if (depthOf(k + 1) !== d) break;
      const c2 = contentOf(k + 1);
      if (c2.trim() === '' || isSnipLine(c2) || isAttrLine(c2)) break;
      if (/^\s*On\s/.test(c2) && k + 2 < n && cls[k + 2] === 'quote') {
        if (depthOf(k + 2) === d && isAttrLine(contentOf(k + 2)) && !/^\s*On\s/.test(contentOf(k + 2))) break;
      }
      k++;
    }
    push('quote', d, j, k);
    j = k + 1;
  }
  return j;
}

/**
 * The patch part (from the `---` cut or the first `diff --git`): diffstat and notes before the
 * first file, one `diff` segment per file, and git's `-- ` / version signature at the end.
 */
function patchPart(lines: Lines, a: number, b: number, push: Push): void {
  const L = lines.text;
  // git format-patch signature: a final "-- " followed by at most three non-blank lines
  let sigAt = -1;
  // ("--" without its space when the mail was re-encoded: then a git version line must follow)
  for (let k = b, seen = 0; k >= a && seen <= 3; k--) {
    if (L[k] === '-- ' || (L[k] === '--' && k + 1 <= b && /^\d+\.\d+/.test(L[k + 1]!))) {
      sigAt = k;
      break;
    }
    if (L[k]!.trim() !== '') seen++;
  }
  const stop = sigAt >= 0 ? sigAt - 1 : b;
  let i = a;
  // before the first file: diffstat lines vs. notes (change logs below "---")
  while (i <= stop && !DIFF_START.test(L[i]!) && !/^diff -/.test(L[i]!)) {
    if (L[i]!.trim() === '') {
      i++;
      continue;
    }
    const stat = isDiffstatLine(L[i]!);
    let j = i;
    while (j + 1 <= stop && !DIFF_START.test(L[j + 1]!) && !/^diff -/.test(L[j + 1]!)) {
      const nx = L[j + 1]!;
      if (nx.trim() === '') break;
      if (isDiffstatLine(nx) !== stat) break;
      j++;
    }
    push(stat ? 'diffstat' : 'changelog', 0, i, j);
    i = j + 1;
  }
  while (i <= stop) {
    let j = i;
    while (j + 1 <= stop && !DIFF_START.test(L[j + 1]!) && !/^diff -/.test(L[j + 1]!)) j++;
    const e = lastNonBlank(L, i, j);
    const m = /^diff --git a\/(\S+) b\/(\S+)/.exec(L[i]!) ?? /^Index: (\S+)/.exec(L[i]!);
    const file = m ? (m[2] ?? m[1] ?? null) : null;
    push('diff', 0, i, e, file);
    i = j + 1;
  }
  if (sigAt >= 0) push('signature', 0, sigAt, lastNonBlank(L, sigAt, b));
}

function isDiffstatLine(l: string): boolean {
  return (
    l === '---' ||
    DIFFSTAT.test(l) ||
    /^\s*\d+ files? changed/.test(l) ||
    /^\s*(create|delete|rename|copy) mode /.test(l) ||
    /^\s*rename /.test(l) ||
    /^\s*mode change /.test(l)
  );
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
