/**
 * Segmentation of a decoded message body into typed segments: own text, quotes (with depth),
 * attribution lines, snip markers, signature, change logs, diffstat, per-file diffs and trailer
 * blocks, each with offsets into the body.
 *
 * Lines are classified by the own-text rule in src/mail/owntext.ts (the labeller's rule,
 * docs/labelling.md), because decision records cite paragraphs as `[msg:ID#pN]` and the gold labels
 * are keyed by the same N. Everything this module adds (finer kinds inside quotes and inside the
 * patch part, change-log typing, Outlook separators) never moves a paragraph boundary of a message
 * that the labeller's rule handles, except for the documented Outlook extension.
 *
 * Everything here is a single forward pass over lines with explicit loops: no recursion, no
 * regular expression that can backtrack over a whole body.
 */
import {
  classifyLines,
  DIFF_START,
  DIFFSTAT,
  isAttrLine,
  isSnipLine,
  quoteDepth,
  splitLines,
  stripQuote,
  type LineClass,
  type Lines,
} from '../mail/owntext.ts';

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
